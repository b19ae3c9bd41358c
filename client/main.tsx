import { render } from 'solid-js/web';
import { App } from './app/App.tsx';
import { platformFacts, platformProblem } from './app/platform-check.ts';
import { Unsupported } from './views/Unsupported.tsx';
import './styles.css';

const root = document.getElementById('root');
const problem = platformProblem(platformFacts());
if (root) render(() => (problem ? <Unsupported problem={problem} /> : <App />), root);
