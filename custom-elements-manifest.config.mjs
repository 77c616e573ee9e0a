// The Custom Elements Manifest (custom-elements.json) of the public elements, and the framework
// typings generated from it into dist/frameworks/ (never written by hand):
// vue.d.ts, svelte.d.ts, jsx.d.ts (React 19, Preact and other JSX), solid.d.ts.
import { generateJsxTypes } from 'custom-element-jsx-integration';
import { generateSolidJsTypes } from 'custom-element-solidjs-integration';
import { generateSvelteTypes } from 'custom-element-svelte-integration';
import { generateVuejsTypes } from 'custom-element-vuejs-integration';

/** Named unions of attributes and properties, expanded so that tools show (and check) the values. */
const EXPANDED = { Theme: "'light' | 'dark' | 'auto'", Position: "'right' | 'left'", StoragePolicy: "'none' | 'session' | 'local'" };
const expand = (type) => type && { ...type, text: type.text.replace(/\b(Theme|Position|StoragePolicy)\b/g, (t) => EXPANDED[t]) };

/** Source path → the built module in the package (dist/lib mirrors the sources). */
const toDist = (path) => path.replace(/^(\.\/)?/, 'dist/lib/').replace(/\.ts$/, '.js');

/**
 * What tools may trust: module paths into dist/, only public members (no private,
 * protected or `@internal` ones, no static styles), the data-* fallbacks of the
 * script-tag install kept out of the attribute list.
 */
const publicApi = () => ({
  name: 'chat-widget-public-api',
  packageLinkPhase({ customElementsManifest }) {
    for (const mod of customElementsManifest.modules) {
      mod.path = toDist(mod.path);
      for (const exp of mod.exports ?? []) {
        if (exp.declaration?.module) exp.declaration.module = toDist(exp.declaration.module);
      }
      for (const decl of mod.declarations ?? []) {
        if (decl.superclass?.module) decl.superclass.module = toDist(decl.superclass.module);
        decl.members = (decl.members ?? []).filter(
          (m) => !m.privacy && !m.static && !m.name.startsWith('#') && !m.name.startsWith('_') && !m.description?.includes('@internal') && !m.name.startsWith('data'),
        );
        decl.attributes = (decl.attributes ?? []).filter((a) => !a.name.startsWith('data-'));
        for (const x of [...decl.members, ...decl.attributes]) if (x.type) x.type = expand(x.type);
        for (const m of decl.members) if (m.inheritedFrom?.module) m.inheritedFrom.module = toDist(m.inheritedFrom.module);
      }
    }
  },
});

/**
 * The framework typings, from the manifest: what a template may set (attributes and writable
 * properties, not read-only ones such as `state`), and the typed `chat-*` events.
 */
const frameworkTypings = () => ({
  name: 'chat-widget-framework-typings',
  packageLinkPhase({ customElementsManifest }) {
    const settable = structuredClone(customElementsManifest);
    for (const mod of settable.modules) {
      for (const decl of mod.declarations ?? []) decl.members = decl.members.filter((m) => m.kind === 'method' || !m.readonly);
    }
    const options = { outdir: 'dist/frameworks', globalTypePath: 'chat-widget', hideLogs: true };
    generateVuejsTypes(settable, { ...options, fileName: 'vue.d.ts' });
    generateSvelteTypes(settable, { ...options, fileName: 'svelte.d.ts' });
    generateJsxTypes(settable, { ...options, fileName: 'jsx.d.ts' });
    generateSolidJsTypes(settable, { ...options, fileName: 'solid.d.ts' });
  },
});

export default {
  globs: ['elements/chat-widget/chat-widget.ts', 'elements/chat-launcher/chat-launcher.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    publicApi(),
    frameworkTypings(),
  ],
};
