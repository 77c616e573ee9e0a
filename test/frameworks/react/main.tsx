import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './app.css';

// One build serves any run: the public key and the chat server's API come from the query string.
const params = new URLSearchParams(location.search);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App publicKey={params.get('key') ?? ''} api={params.get('api') ?? ''} />
  </StrictMode>,
);
