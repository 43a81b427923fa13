import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';

describe('the OpenAPI document', () => {
  it('describes every route with the strict schemas the routes parse with', () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/organisations/by-ref/{ref}');
    const register = doc.paths['/organisations/register']?.post as {
      requestBody: { content: { 'application/json': { schema: Record<string, unknown> } } };
    };
    const schema = register.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({ additionalProperties: false, required: ['organisation', 'member'] });
  });
});
