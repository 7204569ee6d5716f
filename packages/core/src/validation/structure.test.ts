// The JSON Schema is compiled once, on first use, however often validation runs.
import Ajv2020 from 'ajv/dist/2020';
import { validatePortfolioRequest } from './validate';

test('ajv compiles the request schema once', () => {
  const compile = jest.spyOn(Ajv2020.prototype, 'compile');
  for (let i = 0; i < 3; i++) validatePortfolioRequest({ new_delta: {}, new_banks: [] });
  validatePortfolioRequest(null);
  expect(compile).toHaveBeenCalledTimes(1);
});
