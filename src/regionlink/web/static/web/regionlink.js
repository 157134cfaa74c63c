/* RegionLink page behaviour. CSP allows only same-origin scripts: no inline handlers,
   so behaviour is attached here through data-* attributes. */
(function () {
  "use strict";

  // <form data-rl-confirm="Thu hồi mã này?"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-rl-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http intranets have no Clipboard API: fall back to a hidden textarea.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      try {
        document.execCommand("copy") ? resolve() : reject(new Error("copy failed"));
      } catch (err) {
        reject(err);
      } finally {
        document.body.removeChild(area);
      }
    });
  }

  // <button data-rl-copy="element-id" data-rl-copied="Đã sao chép"> copies that element's text.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-rl-copy]") : null;
    if (!button) {
      return;
    }
    var target = document.getElementById(button.getAttribute("data-rl-copy"));
    if (!target) {
      return;
    }
    var text = "value" in target && target.value !== undefined ? target.value : target.textContent;
    var status = button.getAttribute("data-rl-status")
      ? document.getElementById(button.getAttribute("data-rl-status"))
      : null;
    copyText(text.trim()).then(
      function () {
        if (status) {
          status.textContent = button.getAttribute("data-rl-copied") || "";
        }
      },
      function () {
        if (target.select) {
          target.select();
        }
        if (status) {
          status.textContent = button.getAttribute("data-rl-copy-failed") || "";
        }
      }
    );
  });
})();
