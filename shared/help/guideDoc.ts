// The nurse's quick guide as a printable document: every help note (the same text as the app's "?" buttons) with a
// screenshot of its screen where one is given.
import { STUDY } from '../protocol/study';
import type { Bilingual, Lang } from '../protocol/types';
import { fill, pickText } from '../print/casebookDoc';
import type { PrintBlock, PrintDoc } from '../print/printDoc';
import { HELP, HELP_TOPICS, type HelpTopic } from './helpTopics';

const bi = (zh: string, en: string): Bilingual => ({ zh, en });
const W = {
  title: bi('护士快速指南', "Nurse's quick guide"),
  header: bi('{protocol} · 中心 {site} · 护士快速指南', '{protocol} · site {site} · nurse’s quick guide'),
  page: bi('第 {page} 页 / 共 {pages} 页', 'Page {page} of {pages}'),
  intro: bi('本指南与软件中每个页面的「?」帮助同源。', 'This guide is the same text as the "?" help on each screen of the app.'),
  shot: bi('图：{title}', 'Screen: {title}'),
};

export function buildGuideDoc(lang: Lang, screenshotFor: (topic: HelpTopic) => string | null): PrintDoc {
  const t = (b: Bilingual) => pickText(b, lang);
  const blocks: PrintBlock[] = [];
  HELP_TOPICS.forEach((topic, i) => {
    const note = HELP[topic];
    blocks.push({ kind: 'heading', level: 2, text: `${i + 1}. ${t(note.title)}`, newPage: i > 0 && i % 2 === 0 });
    blocks.push({ kind: 'paragraph', text: t(note.summary) });
    blocks.push({ kind: 'list', items: note.points.map(t) });
    const shot = screenshotFor(topic);
    if (shot) blocks.push({ kind: 'image', file: shot, caption: fill(t(W.shot), { title: t(note.title) }) });
  });
  return {
    title: t(W.title),
    header: fill(t(W.header), { protocol: `${STUDY.registryId} / ${STUDY.protocol}`, site: STUDY.site }),
    pageLabel: t(W.page),
    subtitle: [t(STUDY.title), t(W.intro)],
    blocks,
  };
}
