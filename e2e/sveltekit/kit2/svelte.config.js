import { kit } from './app.config.js';

export default { kit };
