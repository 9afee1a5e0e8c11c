import { render } from 'preact';
import { App } from './app';
import { loadConfig } from './config';
import { setCurrency } from './format';
import './styles.css';

const root = document.getElementById('app') as HTMLElement;
const config = await loadConfig();
setCurrency(config.currency);
render(<App config={config} />, root);
