// The server checks passwords synchronously (zod schemas, the environment at start), so it loads the
// password policy's dictionaries with itself: import this module before anything checks a password.
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { usePasswordDictionaries } from '../../lib/validations/passwordPolicy';

usePasswordDictionaries({ common: { dictionary: commonDictionary, adjacencyGraphs }, english: { dictionary: englishDictionary, translations } });
