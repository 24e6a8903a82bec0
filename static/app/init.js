// Starts GOV.UK Frontend and MOJ Frontend components on every page.
// Loaded as <script type="module">: browsers without ES module support skip it, and the
// components then stay in their no-JavaScript form (the page body lacks
// "govuk-frontend-supported", set by the nonce'd snippet at the top of <body> in base.html).
import { initAll as initGovukFrontend } from '../vendor/govuk-frontend/govuk-frontend.min.js'
import { initAll as initMojFrontend } from '../vendor/moj-frontend/moj-frontend.min.js'

function init () {
  // Belt and braces: if the inline snippet was blocked, mark support here (we are a module, so
  // the browser supports ES modules).
  document.body.classList.add('js-enabled', 'govuk-frontend-supported')
  initGovukFrontend()
  initMojFrontend()
}

// Module scripts are deferred, so the document has been parsed by now. Content swapped in later
// by htmx is not initialised here: call initAll({ scope: element }) for it if a page needs that.
init()
