// `tet new <folder>`: not written yet (issue 5).
export async function runNewCommand(_args: string[]): Promise<number> {
  console.error('tet new: not available yet');
  return 2;
}
