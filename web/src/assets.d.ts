// Vite imports CSS for its side effect (it becomes a stylesheet in the build).
declare module '*.css';
