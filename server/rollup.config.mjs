// Two builds of the server package (the widget's package ships no server code):
// - the operator inbox's page script (server/inbox/), served by the server at /assets/inbox.js;
// - the server itself as one ES module (build/main.js, dependencies left as imports), so that a
//   production start (`npm run serve`, the `chat-widget-server` bin) runs JavaScript, not tsx.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';

const inbox = {
  input: 'inbox/inbox-app.ts',
  // The co-browsing replayer (rrweb) is a chunk of its own, loaded when an operator watches a screen.
  output: { dir: 'public', entryFileNames: 'inbox.js', chunkFileNames: 'inbox-[name]-[hash].js', format: 'es' },
  plugins: [
    nodeResolve(),
    typescript({ tsconfig: './tsconfig.inbox.json', filterRoot: '..', declaration: false, noEmitOnError: true, outputToFilesystem: false }),
    minifyLiterals(),
    terser({ ecma: 2022, module: true, compress: { passes: 2 }, format: { comments: false } }),
  ],
  onwarn(warning, warn) {
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};

const server = {
  input: 'main.ts',
  output: { file: 'build/main.js', format: 'es', sourcemap: true, inlineDynamicImports: true, banner: '#!/usr/bin/env node' },
  // Packages and Node's modules stay imports; the server's code and the protocol it shares with the widget are bundled.
  external: (id) => id.startsWith('node:') || !/^[./\0]|^[A-Za-z]:/.test(id),
  plugins: [typescript({ tsconfig: './tsconfig.build.json', filterRoot: '..', declaration: false, noEmitOnError: true, outputToFilesystem: false, sourceMap: true })],
  onwarn: inbox.onwarn,
};

export default [inbox, server];
