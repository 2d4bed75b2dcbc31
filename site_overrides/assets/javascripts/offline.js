/* Search in a copy of the site opened from disk (file://), without a web server.
   Chromium refuses to start a Web Worker from a file, and mkdocs-material's search runs in one. On a
   file:// page this script (loaded before the theme's bundle) replaces Worker by a stand-in that runs
   the worker's script in a hidden frame of the page: the script's own postMessage and "message"
   listeners are wired to the page, and its importScripts() loads scripts with <script> elements
   (the search worker waits for the promise it returns). On a web server it does nothing.
   (mkdocs-material's offline plugin loads a shim for this from a CDN; the site fetches nothing from
   other hosts, so it has this small one of its own.) */
(function () {
  "use strict";
  if (location.protocol !== "file:" || typeof EventTarget !== "function") return;

  function load(doc, src) {
    return new Promise(function (resolve, reject) {
      var script = doc.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      doc.head.appendChild(script);
    });
  }

  class FrameWorker extends EventTarget {
    constructor(url) {
      super();
      var page = this;
      var frame = document.createElement("iframe");
      frame.hidden = true;
      frame.setAttribute("aria-hidden", "true");
      frame.tabIndex = -1;
      document.body.appendChild(frame);
      this.frame = frame;
      var scope = frame.contentWindow;
      var base = new URL(url, location.href);
      scope.importScripts = function () {
        return Array.prototype.reduce.call(arguments, function (done, src) {
          return done.then(function () { return load(scope.document, new URL(src, base).href); });
        }, Promise.resolve());
      };
      scope.postMessage = function (data) {
        var event = new MessageEvent("message", { data: data });
        if (typeof page.onmessage === "function") page.onmessage(event);
        page.dispatchEvent(event);
      };
      this.ready = load(scope.document, base.href);
    }
    postMessage(data) {
      var scope = this.frame.contentWindow;
      this.ready.then(function () { scope.dispatchEvent(new MessageEvent("message", { data: data })); });
    }
    terminate() { this.frame.remove(); }
  }

  window.Worker = FrameWorker;
})();
