/* Matomo's standard tracking code. The page only includes this file (and its settings in
   #matomo-config) after the visitor allowed "Statistieken" in the cookie banner or on
   Cookie-instellingen; until then no statistics code is in the page at all. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("matomo-config").textContent);
  var _paq = (window._paq = window._paq || []);
  _paq.push(["setTrackerUrl", config.url + "matomo.php"]);
  _paq.push(["setSiteId", config.siteId]);
  _paq.push(["trackPageView"]);
  _paq.push(["enableLinkTracking"]);
  var script = document.createElement("script");
  script.async = true;
  script.src = config.url + "matomo.js";
  document.head.appendChild(script);
})();
