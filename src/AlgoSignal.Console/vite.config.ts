/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` forwards the API to a running ingress (ALGOSIGNAL_URL, default http://127.0.0.1:8080),
// so the console can be developed against the real product; production serves dist/ from the ingress.
const target = process.env.ALGOSIGNAL_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: false,
    // The console's assets are all served by the ingress itself: nothing is inlined as a data: URL,
    // so the Content-Security-Policy can stay at 'self'.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/webhook': { target, changeOrigin: false },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // The build machines are shared: give slow runs room without hiding a hang.
    testTimeout: 20_000,
  },
});
