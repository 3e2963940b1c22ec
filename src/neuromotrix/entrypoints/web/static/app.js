/* NeuroMotrix progressive enhancement. Every page works without this file; it only adds comfort.
   Loaded with `defer` from /static (no inline script: the Content-Security-Policy is default-src 'self').

   A feature is a function `feature(root)` that receives the document and does nothing when its elements are
   absent. Add one here, or in a file of its own loaded after this one (`<script src="{{ static('x.js') }}"
   defer>` in the page's `scripts` block) that calls `NeuroMotrix.register(feature)`.
   Features here:
   - errorSummary: moves the focus to a form's error summary, so screen readers read it first;
   - confirmations: a button or form with data-confirm="Question?" asks before it submits. */
(function (window, document) {
  "use strict";

  var features = [];
  var started = false;

  function register(feature) {
    features.push(feature);
    if (started) {
      feature(document);
    }
  }

  function errorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function confirmations(root) {
    root.addEventListener("click", function (event) {
      var trigger = event.target instanceof Element ? event.target.closest("button[data-confirm]") : null;
      if (trigger && !window.confirm(trigger.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
    root.addEventListener("submit", function (event) {
      var form = event.target;
      if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
          !window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  }

  function start() {
    started = true;
    features.forEach(function (feature) {
      feature(document);
    });
  }

  window.NeuroMotrix = { register: register };
  register(errorSummary);
  register(confirmations);

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}(window, document));
