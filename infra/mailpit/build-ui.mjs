// Bundles Mailpit's web UI (server/ui-src) into server/ui/dist, where its `go:embed ui` picks it
// up: the module the Go proxy serves has the sources but not the bundle. Mailpit's own
// esbuild.config.mjs, less its API docs page (docs.js needs rapidoc 12, which the npm registry
// reached here does not serve; the API itself and its swagger.json are unaffected). Run by
// infra/scripts/infra.ts from a writable copy of the module, after `npm ci` of ui.package.json.
import * as esbuild from 'esbuild';
import pluginVue from 'esbuild-plugin-vue-next';
import { sassPlugin } from 'esbuild-sass-plugin';

await esbuild.build({
  entryPoints: ['server/ui-src/app.js'],
  bundle: true,
  minify: true,
  sourcemap: false,
  define: {
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  outdir: 'server/ui/dist/',
  plugins: [pluginVue(), sassPlugin({ silenceDeprecations: ['import'], quietDeps: true })],
  loader: { '.svg': 'file', '.woff': 'file', '.woff2': 'file' },
  logLevel: 'warning',
});
