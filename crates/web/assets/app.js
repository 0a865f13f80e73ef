// pmcoach: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Select the whole one-time secret (token, invitation link) on focus so it is easy to copy.
  document.querySelectorAll("input[readonly].mono").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
})();
