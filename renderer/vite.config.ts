import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// base './': the built UI loads from a file (Electron's app:// protocol) and from `serve` alike.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true },
});
