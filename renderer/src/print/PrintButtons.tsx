export function PrintCasebookButton(_: { subjectId: number }) { return null; }
