// Deployment settings for the web inbox. Locally this file is empty: sign-in offers the demo users.
// A deployment replaces it, e.g.:
//   window.DOCFLOW_CONFIG = { cognito: { domain: 'https://auth.example.gov.vn', clientId: '…' } };
window.DOCFLOW_CONFIG = window.DOCFLOW_CONFIG || {};
