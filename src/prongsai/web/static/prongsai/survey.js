// Keeps a half-finished survey in this phone's own storage (never sent anywhere), so a dropped
// connection or a closed tab loses nothing. Works without it too: the form is plain HTML.
(function () {
  "use strict";
  var done = document.querySelector("[data-clear]");
  if (done) { try { localStorage.removeItem(done.getAttribute("data-clear")); } catch (e) {} return; }
  var form = document.getElementById("survey");
  if (!form || !window.localStorage) { return; }
  var key = form.getAttribute("data-key");
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
  Object.keys(saved).forEach(function (name) {
    var input = form.querySelector('input[type=radio][name="' + name + '"][value="' + saved[name] + '"]');
    if (input && !form.querySelector('input[name="' + name + '"]:checked')) { input.checked = true; }
  });
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio") { return; }
    saved[input.name] = input.value;
    try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) {}
  });
})();
