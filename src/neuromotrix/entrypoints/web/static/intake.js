/* The intake pages (templates/intake/): a "Print the letter" button on the clearance-request letter. Without
   JavaScript the button stays hidden and the page says to use the browser's Print command. */
(function (window) {
  "use strict";

  function printButtons(root) {
    root.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  window.NeuroMotrix.register(printButtons);
}(window));
