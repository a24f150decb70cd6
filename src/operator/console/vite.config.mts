import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Run from the package root (npm run build:console); the gateway serves the output at /console.
export default defineConfig({
  root: 'src/operator/console',
  base: '/console/',
  plugins: [react()],
  build: { outDir: '../../../dist/console', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
});
