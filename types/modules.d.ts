/** A theme file's declarations, imported by the elements (see scripts/css-tokens.mjs). */
declare module '*.css?tokens' {
  const declarations: string;
  export default declarations;
}
