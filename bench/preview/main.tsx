import '../../web/src/styles.css';
import { createRoot } from 'react-dom/client';
import { PdfPreview } from '../../web/src/PdfPreview';

/* The inbox's own preview component, alone, on the file named by `?file=` (bench/preview.ts). */
const file = new URLSearchParams(location.search).get('file') ?? '';
const root = document.getElementById('root');
if (root) createRoot(root).render(<PdfPreview url={`/files/${file}`} />);
