// The Custom Elements Manifest (custom-elements.json) of the public elements, and the framework
// typings generated from it into dist/frameworks/ (never written by hand):
// vue.d.ts, svelte.d.ts, jsx.d.ts (React 19, Preact and other JSX), solid.d.ts.
import { generateJsxTypes } from 'custom-element-jsx-integration';
import { generateSolidJsTypes } from 'custom-element-solidjs-integration';
import { generateSvelteTypes } from 'custom-element-svelte-integration';
import { generateVuejsTypes } from 'custom-element-vuejs-integration';
import { readFileSync, writeFileSync } from 'node:fs';

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

const camel = (name) => name.replace(/-([a-z])/g, (_m, c) => c.toUpperCase());

/**
 * Edits a generated file in place. Each edit must match: a generator whose output changed
 * fails the build here rather than shipping typings that quietly stopped applying.
 */
function rewrite(file, edits) {
  let text = readFileSync(file, 'utf8');
  for (const [pattern, to] of edits) {
    if (text.search(pattern) < 0) throw new Error(`${file}: the generated typings no longer contain ${pattern}`);
    text = text.replace(pattern, to);
  }
  writeFileSync(file, text);
}

/**
 * Vue's template type-checker (vue-tsc) camelizes what a template sets: `:public-key` is checked
 * as `publicKey`, `@chat-show` as `onChatShow`. The generator writes the attribute and `on` +
 * event names as they are (`"public-key"`, `"onchat-show"`), which vue-tsc reports as unknown
 * props on every use; the keys are camelized here, as Vue does.
 */
const VUE_EDITS = [[/^(\s*)"(onchat-[a-z-]+|[a-z]+(?:-[a-z]+)+)"\?:/gm, (_m, space, name) =>
  `${space}${name.startsWith('onchat-') ? `on${camel(`-${name.slice(2)}`)}` : camel(name)}?:`]];

/**
 * Svelte 5: the generator writes Svelte 4 typings. Its events are `on:chat-show` props (Svelte 5
 * templates write `onchat-show={...}`), its base props use a `JSX` namespace that a Svelte project
 * does not have, and it declares the tags in a `svelteHTML` namespace that, inside this module,
 * is the file's own and augments nothing: svelte-check then took `<chat-widget>` as an unknown
 * element and checked nothing on it. Here the tags extend `SvelteHTMLElements` of `svelte/elements`
 * (as the Svelte 5 docs say), with Svelte's own HTML attributes as the base props.
 */
const SVELTE_EDITS = [
  [/^/, 'import type { HTMLAttributes } from "svelte/elements";\n'],
  [/type BaseProps = \{[\s\S]*?\n\};/, 'type BaseProps = HTMLAttributes<HTMLElement>;'],
  [/"on:chat-/g, '"onchat-'],
  [/declare namespace svelteHTML \{[\s\S]*?\n\}/, 'declare module "svelte/elements" {\n  interface SvelteHTMLElements extends CustomElements {}\n}'],
];

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
    rewrite('dist/frameworks/vue.d.ts', VUE_EDITS);
    generateSvelteTypes(settable, { ...options, fileName: 'svelte.d.ts' });
    rewrite('dist/frameworks/svelte.d.ts', SVELTE_EDITS);
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
