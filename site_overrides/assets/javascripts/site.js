/* Small, dependency-free behaviour. Everything works without it; it adds:
   - the language switcher keeps the reader's place (same anchor in the other language);
   - citation cards on hover, keyboard focus and tap;
   - the root page preselects the browser's preferred language;
   - the search dialog gets a name (mkdocs-material's has none: axe "aria-dialog-name");
   - the drawer and search toggles start unchecked (see below);
   - the search box reads text that arrives without keys (see below). */
(function () {
  "use strict";

  // The drawer and the search start closed, also where the browser restores form state when the reader
  // returns to the page (mkdocs-material prevents that with autocomplete="off" on its toggles, which is not
  // valid HTML on a checkbox: generator/site/thememarkup.py removes it). Chromium restores the state after the
  // load event, before "pageshow"; a change event tells material's script, which watches the toggles.
  window.addEventListener("pageshow", function () {
    ["__drawer", "__search"].forEach(function (id) {
      var toggle = document.getElementById(id);
      if (toggle && toggle.checked && !(id === "__search" && /[?&]q=/.test(location.search))) {
        toggle.checked = false;
        toggle.dispatchEvent(new Event("change"));
      }
    });
  });

  // mkdocs-material reads the search box on keyup: text that arrives without a key released in the box
  // (pasted, dropped, chosen from an input method's candidates: Chinese) would stay unread, the list saying
  // "Type to start searching" (issue 21). Such an input is told to it as a keyup (a query it has read
  // already is not searched again).
  function readSearch(ev) {
    var box = ev.target;
    if (!box || !box.classList || !box.classList.contains("md-search__input") || ev.isComposing) return;
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
  document.addEventListener("input", readSearch);
  document.addEventListener("compositionend", readSearch);

  function currentAnchor() {
    if (location.hash) return location.hash.slice(1);
    var blocks = document.querySelectorAll(".md-content [id]");
    var best = null;
    for (var i = 0; i < blocks.length; i++) {
      var el = blocks[i];
      if (!/^(H[2-6]|DIV)$/.test(el.tagName)) continue;
      if (el.getBoundingClientRect().top > 80) break;
      best = el.id;
    }
    return best;
  }

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("[data-lang-switch]");
    if (!link) return;
    var anchor = currentAnchor();
    if (anchor) {
      ev.preventDefault();
      location.href = link.href.split("#")[0] + "#" + anchor;
    }
  });

  // The search dialog is named after its input ("搜索" / "Search").
  var dialog = document.querySelector(".md-search[role=dialog]");
  var query = document.querySelector(".md-search__input");
  if (dialog && query && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", query.getAttribute("aria-label") || query.getAttribute("placeholder") || "Search");
  }

  // Root page: mark the preferred language; never redirect.
  var choices = document.querySelectorAll(".lang-choice__link");
  if (choices.length) {
    var langs = navigator.languages || [navigator.language || ""];
    var want = null;
    for (var i = 0; i < langs.length && !want; i++) {
      var l = (langs[i] || "").toLowerCase();
      if (l.indexOf("zh") === 0) want = "zh";
      else if (l.indexOf("en") === 0) want = "en";
    }
    choices.forEach(function (a) {
      // marked by its border, not focused: a focus on load sent the first Tab out of the page (reader re-try)
      if (a.getAttribute("data-lang") === (want || "en")) a.setAttribute("data-preferred", "");
    });
  }

  // Tables of contributor markdown: mkdocs-material wraps each in a scrolling box (.md-typeset__scrollwrap),
  // its only one (site.css). The box is made reachable and scrollable by keyboard and named after the table's
  // caption or the heading above it. (Generated tables come in their own named box, .table-wrap.)
  function labelTables() {
    document.querySelectorAll(".md-typeset .md-typeset__scrollwrap").forEach(function (box) {
      if (box.closest(".table-wrap") || box.hasAttribute("role")) return;
      var table = box.querySelector("table"), label = "";
      var caption = table && table.querySelector("caption");
      if (caption) label = caption.textContent;
      // else the nearest heading (or note title) above it, in its block or the blocks around that
      for (var node = box; !label && node && !node.matches("article"); node = node.parentElement) {
        for (var el = node.previousElementSibling; !label && el; el = el.previousElementSibling) {
          if (/^H[1-6]$/.test(el.tagName) || el.matches(".admonition-title, summary")) label = el.textContent;
        }
      }
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      if (label) box.setAttribute("aria-label", label.replace(/\s+/g, " ").trim());
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(labelTables);
  else window.addEventListener("load", labelTables);

  // A table wider than its box says so above the box ("More columns: scroll sideways →"), until it has been
  // scrolled to its end: a desktop browser shows no scroll bar until the pointer is over the box.
  function hintScrolling() {
    var config = document.getElementById("__config"), words = "";
    try { words = JSON.parse(config.textContent).translations["hcc.table.scroll"] || ""; } catch (e) { return; }
    if (!words) return;
    document.querySelectorAll(".md-typeset .table-wrap, .md-typeset .md-typeset__scrollwrap").forEach(function (box) {
      if (box.parentElement.closest(".table-wrap")) return;  // a theme box inside ours does not scroll
      var before = box.previousElementSibling;
      var hint = before && before.matches(".scroll-hint") ? before : null;
      if (!hint) {
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.setAttribute("aria-hidden", "true");  // the box itself is a named region a screen reader scrolls
        hint.textContent = words;
        box.insertAdjacentElement("beforebegin", hint);
        box.addEventListener("scroll", function () { update(box, hint); }, { passive: true });
      }
      update(box, hint);
    });
  }
  function update(box, hint) {
    hint.hidden = box.scrollWidth - box.clientWidth - box.scrollLeft <= 2;
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(hintScrolling);
  else window.addEventListener("load", hintScrolling);
  window.addEventListener("resize", hintScrolling);

  // Citation cards: the card shows the entries of the page's own reference list.
  var card = null, owner = null;
  function hide() { if (card) { card.remove(); card = null; owner = null; } }
  function show(cite) {
    if (owner === cite) return;
    hide();
    var nums = (cite.getAttribute("data-refs") || "").split(" ");
    var list = document.createElement("ol");
    list.className = "cite-card__list";
    nums.forEach(function (n) {
      var entry = document.getElementById("ref-" + n);
      if (!entry) return;
      var li = document.createElement("li");
      li.value = parseInt(n, 10);
      var text = entry.querySelector(".ref-text"), links = entry.querySelector(".ref-links"),
          count = entry.querySelector(".ref-count");
      [text, links, count].forEach(function (part) {
        if (part) { li.appendChild(part.cloneNode(true)); li.appendChild(document.createTextNode(" ")); }
      });
      list.appendChild(li);
    });
    if (!list.children.length) return;
    card = document.createElement("span");
    card.className = "cite-card";
    card.id = "cite-card";
    card.appendChild(list);
    // Right after the citation: Tab goes from the citation into the card's links (DOI, PubMed), then on.
    cite.after(card);
    var r = cite.getBoundingClientRect();
    var base = card.offsetParent ? card.offsetParent.getBoundingClientRect() : { left: -window.scrollX, top: -window.scrollY };
    var left = Math.max(8, Math.min(r.left, document.documentElement.clientWidth - card.offsetWidth - 8));
    card.style.left = (left - base.left) + "px";
    card.style.top = (r.bottom + 6 - base.top) + "px";
    owner = cite;
    cite.setAttribute("aria-describedby", "cite-card");
  }
  function citeOf(node) { return node && node.closest ? node.closest(".cite") : null; }
  document.addEventListener("mouseover", function (ev) {
    var c = citeOf(ev.target);
    if (c) show(c);
    else if (card && !(ev.target.closest && ev.target.closest(".cite-card"))) hide();
  });
  document.addEventListener("focusin", function (ev) {
    var c = citeOf(ev.target);
    if (c) show(c); else if (!(ev.target.closest && ev.target.closest(".cite-card"))) hide();
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });
  // Abbreviations are no tab stops (their title is read out and shown on hover): a tap or click opens the
  // tooltip (site.css, abbr.is-open), another tap elsewhere closes it.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("abbr[title]");
    document.querySelectorAll("abbr.is-open").forEach(function (o) { if (o !== a) o.classList.remove("is-open"); });
    if (a && !a.closest("a")) a.classList.toggle("is-open");
  });
  // On touch screens the first tap shows the card, a second tap follows the link.
  document.addEventListener("touchstart", function (ev) {
    var c = citeOf(ev.target);
    if (c && owner !== c) { ev.preventDefault(); show(c); }
    else if (!c && !(ev.target.closest && ev.target.closest(".cite-card"))) hide();
  }, { passive: false });
})();
