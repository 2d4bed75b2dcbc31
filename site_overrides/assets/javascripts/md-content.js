/* mkdocs-material 9.8.1's inline script of partials/javascripts/content.html (MIT licence), in a file of its own:
   the site's Content-Security-Policy allows scripts of the site only, no inline script. (The partial's other
   script is for the feature content.tabs.link, which this site does not use.) */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
