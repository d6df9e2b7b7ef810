import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/600.css';
import '@fontsource/be-vietnam-pro/700.css';
import '../styles.css';
import './public-verify.css';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Language } from '../../../lambdas/core/i18n/catalogue';
import { storedLanguage, storeLanguage } from '../i18n';
import { PublicVerifyPage } from './PublicVerifyPage';
import { publicTranslator } from './texts';

function Page() {
  const params = new URLSearchParams(window.location.search);
  const [language, setLanguage] = useState<Language>(
    params.get('lang') === 'en' ? 'en' : params.get('lang') === 'vi' ? 'vi' : storedLanguage(),
  );
  const documentId = params.get('id')?.slice(0, 128) || undefined;
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = `${publicTranslator(language)('title')} — docflow`;
  }, [language]);
  return (
    <PublicVerifyPage
      language={language}
      setLanguage={(next) => {
        storeLanguage(next);
        setLanguage(next);
      }}
      documentId={documentId}
    />
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from verify.html');
createRoot(root).render(
  <StrictMode>
    <Page />
  </StrictMode>,
);
