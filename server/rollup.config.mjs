// The operator inbox's page script (server/inbox/), served by the server at /assets/inbox.js.
// Built here, not by the widget package: the widget's package ships no server code.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import minifyLiterals from '@lit-labs/rollup-plugin-minify-html-literals';

export default {
  input: 'inbox/inbox-app.ts',
  output: { file: 'public/inbox.js', format: 'es', inlineDynamicImports: true },
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
