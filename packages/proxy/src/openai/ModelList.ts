/** `GET /v1/models`: the models a server answers for. */
export function modelList(ids: readonly string[], created: number, ownedBy = 'signal') {
  return {
    object: 'list' as const,
    data: ids.map((id) => ({ id, object: 'model' as const, created, owned_by: ownedBy })),
  };
}
