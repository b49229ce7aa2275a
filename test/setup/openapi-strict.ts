/**
 * The e2e tier checks every answer it receives against the OpenAPI document: a status the document does
 * not list for the operation, or a JSON body its schema refuses, fails the test file (test-app.ts closes
 * the app and reports the violations). `OPENAPI_CHECK=0` turns it off for a run.
 */
process.env.OPENAPI_CHECK ??= '1';
