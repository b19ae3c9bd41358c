export { uuidv7 as newId } from '../../shared/id/uuidv7.ts';
