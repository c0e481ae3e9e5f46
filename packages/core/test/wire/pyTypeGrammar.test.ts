import { isSignalError } from '../../src/errors/SignalError';
import { py } from '../../src/wire/pyType';
import { parsePyType } from '../../src/wire/pyTypeGrammar';

describe('parsePyType', () => {
  it.each([
    ['str', py.str],
    ['int', py.int],
    ['float', py.float],
    ['bool', py.bool],
    ['None', py.none],
    ['Any', py.any],
    ['list[float]', py.list(py.float)],
    ['optional[str]', py.optional(py.str)],
    ['Optional[List[int]]', py.optional(py.list(py.int))],
    ['dict[str,any]', py.dict(py.str, py.any)],
    [
      ' dict[ str , list[ dict[int,float] ] ] ',
      py.dict(py.str, py.list(py.dict(py.int, py.float))),
    ],
    [
      'model{label:str,score:float,ids:list[int]}',
      py.model([
        ['label', py.str],
        ['score', py.float],
        ['ids', py.list(py.int)],
      ]),
    ],
    [
      'list[model{a:optional[model{b:dict[str,list[bool]]}],c:int}]',
      py.list(
        py.model([
          ['a', py.optional(py.model([['b', py.dict(py.str, py.list(py.bool))]]))],
          ['c', py.int],
        ]),
      ),
    ],
    ['model{}', py.model([])],
  ])('parses %s', (text, expected) => {
    expect(parsePyType(text)).toEqual(expected);
  });

  it.each([
    ['', 'expected a name'],
    ['list', 'expected "["'],
    ['list[int', 'expected "]"'],
    ['dict[str]', 'expected ","'],
    ['tuple[int]', 'unknown type "tuple"'],
    ['int]', 'unexpected "]"'],
    ['model{a:int,a:str}', 'duplicate field "a"'],
    ['model{a int}', 'expected ":"'],
  ])('refuses %j with a clear error', (text, message) => {
    try {
      parsePyType(text);
      throw new Error('expected failure');
    } catch (error) {
      expect(isSignalError(error, 'WIRE_TYPE_GRAMMAR')).toBe(true);
      expect((error as Error).message).toContain(message);
    }
  });
});
