"""The Django web app: a thin layer of models, views and templates around the pure-Python core."""
