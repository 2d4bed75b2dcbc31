/* mkdocs-material's bundle fetches "<href>/sitemap.xml" for every rel=alternate link (for its own language
   selector, which this site does not use): for absolute hreflang URLs that is a request to the public host from
   the reader's browser. The links are hidden from that one query and restored once the page has loaded.
   (In a file, not inline: the site's Content-Security-Policy runs no inline script.) */
(function(){var l=document.querySelectorAll('link[rel=alternate][hreflang]');l.forEach(function(e){e.rel='x-alternate'});addEventListener('load',function(){l.forEach(function(e){e.rel='alternate'})})})();
