import react from "@vitejs/plugin-react-swc";
import { defineConfig } from "vite";

// The admin theme keycloak-m2m: Keycloak's console (@keycloak/keycloak-admin-ui) plus our pages.
// Keycloak renders index.ftl and finds the entry script through .vite/manifest.json in the theme's resources;
// React comes from Keycloak's common theme (the import map in index.ftl), like in Keycloak's own console.
export default defineConfig({
  plugins: [react()],
  base: "",
  build: {
    outDir: "target/dist",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 20000,
    target: "esnext",
    rollupOptions: {
      input: "src/main.tsx",
      external: ["react", "react/jsx-runtime", "react-dom"],
    },
  },
});
