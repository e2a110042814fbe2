// Child process for the encryption-migration crash test: opens (and so encrypts) the database given, then says "done".
import { openDatabase } from './connection';

const db = openDatabase(process.argv[2]!);
db.close();
process.stdout.write('done\n');
