// Builds the workflow editor island into the candidates app's static files. The bundle is
// committed, so `make run` and `make test` need no Node; `make assets` rebuilds it and CI checks
// that the committed bundle matches this source.
import { defineConfig } from "vite";

export default defineConfig({
  esbuild: { jsx: "automatic" },
  build: {
    outDir: "../../candidates/static/candidates/editor",
    emptyOutDir: true,
    sourcemap: false,
    target: "es2020",
    cssCodeSplit: false,
    rollupOptions: {
      input: "src/main.jsx",
      output: {
        format: "es",
        entryFileNames: "editor.js",
        chunkFileNames: "editor-[name].js",
        assetFileNames: "editor.[ext]",
      },
    },
  },
});
