import './ui/app-root.ts';
