"use strict";
// Swagger UI on the API reference page, served by docs.views.ApiReferenceView at `?script` (the
// Content-Security-Policy allows no inline script). The schema is public, so none of drf-spectacular's
// credential handling for it is needed.

// "Try it out" requests say they come from a page's script: the API then answers a 401 with challenges a
// browser does not turn into its own login box, which would hang the page (apiv2.exceptions).
const requestInterceptor = (request) => {
  request.headers["X-Requested-With"] = "XMLHttpRequest";
  return request;
};

const ui = SwaggerUIBundle({
  url: "{{ schema_url|escapejs }}",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  requestInterceptor,
  ...{{ settings|safe }},
});
{% if oauth2_config %}ui.initOAuth({{ oauth2_config|safe }});{% endif %}

// Swagger UI's Authorize dialog, as assistive technology reads it: its close button is an icon with no
// name, and its Authorize and Logout buttons carry aria-labels other than the words they show (WCAG 2.5.3).
const nameTheDialogButtons = () => {
  for (const button of document.querySelectorAll("#swagger-ui .modal-ux .close-modal:not([aria-label])")) {
    button.setAttribute("aria-label", "Close");
  }
  for (const button of document.querySelectorAll("#swagger-ui .modal-ux .auth-btn-wrapper button[aria-label]")) {
    button.removeAttribute("aria-label");
  }
};
new MutationObserver(nameTheDialogButtons).observe(document.getElementById("swagger-ui"), {childList: true, subtree: true});
