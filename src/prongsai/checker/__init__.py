"""The OIT checker: visit an agency's website and say, item by item, what a reviewer will find."""
