/* Fact-check page behaviour. Served as a static file because the site's
   Content-Security-Policy allows no inline scripts or inline event handlers.
   Everything here is an enhancement: without it, the pages work as they are. */
(function () {
  "use strict";

  var STATUS_MS = 4000;

  /* A "Copy link" button in place of each plain permalink (a.fc-copy-link).
     The link stays in the HTML for readers without JavaScript or without a
     clipboard; the button copies the same address. */
  function enhanceCopyLink(link) {
    if (link.hasAttribute("data-fc-enhanced") || !canCopy()) {
      return;
    }
    link.setAttribute("data-fc-enhanced", "");

    var button = document.createElement("button");
    button.type = "button";
    button.className = "fc-copy-button";
    button.textContent = link.getAttribute("data-fc-copy-label") || "Copy link";

    // A live region announces the result to screen readers as well as showing it.
    var status = document.createElement("span");
    status.className = "fc-copy-status";
    status.setAttribute("role", "status");

    var timer = null;
    function say(text) {
      status.textContent = text;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { status.textContent = ""; }, STATUS_MS);
    }

    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(
        function () { say("Link copied"); },
        function () {
          // Clipboard refused (permissions, focus): fall back to the plain link.
          link.hidden = false;
          say("Could not copy; use the link instead");
        }
      );
    });

    link.hidden = true;
    link.parentNode.insertBefore(button, link);
    link.parentNode.insertBefore(status, link.nextSibling);
  }

  function canCopy() {
    return Boolean(window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText);
  }

  /* Printed pages show each link's address (see @media print in factcheck.css).
     CSS can print only the href as written, which for site links is relative;
     this records the resolved address next to it. */
  function markPrintAddresses() {
    var links = document.querySelectorAll(".md-content a[href]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var href = link.getAttribute("href");
      if (href.charAt(0) !== "#" && !link.classList.contains("headerlink")) {
        link.setAttribute("data-fc-href", link.href);
      }
    }
  }

  /* Material's search panel is a dialog without a name (axe: aria-dialog-name);
     name it after its own search field. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role='dialog']");
    if (dialog && !dialog.hasAttribute("aria-label") && !dialog.hasAttribute("aria-labelledby")) {
      dialog.setAttribute("aria-label", "Search");
    }
  }

  /* Pagefind search (sites built with `search: pagefind`): the search page holds
     an empty #fc-search with the bundle's address; its UI script is a file too. */
  function startPagefind() {
    var box = document.getElementById("fc-search");
    if (!box || box.hasAttribute("data-fc-enhanced") || typeof window.PagefindUI !== "function") {
      return;
    }
    box.setAttribute("data-fc-enhanced", "");
    new window.PagefindUI({
      element: "#fc-search",
      bundlePath: box.getAttribute("data-fc-bundle"),
      showImages: false,
      resetStyles: false
    });
  }

  function enhance() {
    startPagefind();
    var links = document.querySelectorAll("a.fc-copy-link");
    for (var i = 0; i < links.length; i++) {
      enhanceCopyLink(links[i]);
    }
    markPrintAddresses();
    nameSearchDialog();
  }

  // Material's document$ fires on first load and after each instant navigation.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
