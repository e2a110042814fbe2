// The in-app help and the nurse's quick guide, from one source: a short note per screen in both languages. The app
// shows a screen's note behind its "?" button; `ecrf guide pdf` prints every note with a screenshot of its screen.
import type { Bilingual } from '../protocol/types';

export const HELP_TOPICS = ['home', 'newSubject', 'casebook', 'form', 'status', 'queries', 'saes', 'print', 'lock'] as const;
export type HelpTopic = (typeof HELP_TOPICS)[number];

export interface HelpNote {
  title: Bilingual;
  /** One sentence: what the screen is for. */
  summary: Bilingual;
  /** What to do there, a few short steps or tips. */
  points: Bilingual[];
}

const bi = (zh: string, en: string): Bilingual => ({ zh, en });

export const HELP: Record<HelpTopic, HelpNote> = {
  home: {
    title: bi('今日病房工作与受试者列表', "Today's ward work and the subject list"),
    summary: bi('登录后的首页：今天要做什么，一眼可见。', 'The first screen after login: what today holds, at a glance.'),
    points: [
      bi('「已超窗」「今日可做」「本周开窗」列出下次访视及其窗口；点筛选号打开病例。', '"Overdue", "Due today" and "Opening this week" list each next visit with its window; click a number to open the casebook.'),
      bi('「待我回复的质疑」与「SAE 上报时限」点开即到对应表单。', '"Queries for me" and "SAE deadlines" open the form concerned.'),
      bi('列表可按状态、访视（今日可做 / 本周开窗 / 已超窗）筛选，按筛选号、下次访视日期或状态排序。', 'Filter the list by status and by visit (due today / opening this week / overdue); sort by number, next visit date or status.'),
      bi('已退出、已完成或筛选失败的受试者不再显示待访视。', 'Subjects who left the study (withdrawn, completed, screen failure) have no visits due.'),
    ],
  },
  newSubject: {
    title: bi('新建受试者', 'A new subject'),
    summary: bi('为签署知情同意的新患者生成下一个筛选号。', 'Gives the next screening number to a new patient who is consenting.'),
    points: [
      bi('点「新建受试者」，确认后生成编号（如 KM01-S026）；编号不能删除。', 'Click "New subject" and confirm: the number (e.g. KM01-S026) is made and cannot be deleted.'),
      bi('先录入知情同意表，其他表单才能保存。', 'Enter the consent form first: nothing else can be saved before it.'),
      bi('误建的编号：在病例中「记录研究状态…」选「误建作废」（仅限尚无任何已保存表单时）。', 'A number made by mistake: in its casebook use "Record study status…" → "Created in error" (only while no form is saved).'),
    ],
  },
  casebook: {
    title: bi('病例', 'The casebook'),
    summary: bi('一名受试者的全部访视与表单；顶部深色横条始终显示是谁的病例。', "All of one subject's visits and forms; the dark bar at the top always says whose casebook it is."),
    points: [
      bi('横条：筛选号、随机号、性别、年龄、研究状态和当前访视窗口。', 'The bar: screening and randomisation numbers, sex, age, study status and the current visit window.'),
      bi('表单按钮颜色表示状态；点开即可录入或查看。', 'Form buttons are coloured by status; click one to enter or view it.'),
      bi('实际日期取自表单中的日期；超窗的访视生成一条质疑（每次访视一条）。', 'Actual dates come from the forms; a visit outside its window raises one query (one per visit).'),
      bi('不良事件、合并用药随时在页面下方添加。', 'Adverse events and concomitant medication are added at the bottom at any time.'),
    ],
  },
  form: {
    title: bi('表单录入', 'Entering a form'),
    summary: bi('边输入边检查；保存时由系统再次核对。', 'Checked as you type; checked again by the system when saved.'),
    points: [
      bi('日期可输入 2026/5/11、2026.5.11、20260511 或 2026-5-11，离开输入框后显示为 2026-05-11；也可点日历按钮选择。', 'Dates may be typed 2026/5/11, 2026.5.11, 20260511 or 2026-5-11 and show as 2026-05-11 when you leave the field; or use the calendar button.'),
      bi('中文输入法的「。」可作小数点（5。2 即 5.2）。', 'The Chinese full stop 。 works as a decimal point (5。2 is 5.2).'),
      bi('数值像是其他单位时（如肌酐 1.1，可能是 mg/dL），提示会给出换算值，可一键改用。', 'A value that looks like another unit (creatinine 1.1, likely mg/dL) gets a hint with the converted value, one click to use it.'),
      bi('输入自动保存为草稿；修改已保存的数据需填写修改原因。Ctrl+S 保存，Enter 到下一项。', 'Typing is kept as a draft as you go; changing saved data needs a reason. Ctrl+S saves, Enter moves on.'),
    ],
  },
  status: {
    title: bi('研究状态', 'Study status'),
    summary: bi('筛选失败、退出研究、完成研究或误建作废，带日期和原因记录。', 'Screen failure, withdrawal, completion or created in error, recorded with date and reason.'),
    points: [
      bi('在病例中点「记录研究状态…」；只列出您的角色此时可以记录的变更。', 'In the casebook click "Record study status…"; only the changes your role may record now are offered.'),
      bi('退出和完成由研究者记录；完成前须先保存研究结束表。', 'Withdrawal and completion are recorded by the investigator; completion needs the end-of-study form first.'),
      bi('变更后只能录入不良事件随访和研究结束表；已保存的表单仍可更正。', 'Afterwards only adverse-event follow-up and the end-of-study form can be entered; saved forms can still be corrected.'),
    ],
  },
  queries: {
    title: bi('数据质疑', 'Data queries'),
    summary: bi('系统核查或监查员对某个数据项提出的问题。', 'A question on one item, from a system check or the monitor.'),
    points: [
      bi('打开表单，核对原始资料；需要时更正数值（填写原因），然后回复质疑。', 'Open the form, check the source; correct the value if needed (with a reason), then answer the query.'),
      bi('数值更正后不再触发核查的质疑会自动关闭。', 'A query whose check no longer fires after a correction closes by itself.'),
      bi('监查员关闭或重新打开质疑。', 'The monitor closes or re-opens queries.'),
    ],
  },
  saes: {
    title: bi('严重不良事件（SAE）', 'Serious adverse events (SAE)'),
    summary: bi('每个 SAE 在获知后 24 小时内须上报申办方和伦理委员会。', 'Each SAE must be reported to the sponsor and the ethics committee within 24 hours of awareness.'),
    points: [
      bi('首页「SAE 上报时限」和 SAE 列表按逾期在前排列。', 'The home\'s "SAE deadlines" and the SAE list show overdue ones first.'),
      bi('在不良事件表中填写获知日期时间和上报日期。', 'Enter the awareness date and time and the report dates on the AE form.'),
    ],
  },
  print: {
    title: bi('打印与 PDF', 'Printing and PDF'),
    summary: bi('病例的纸质副本用于研究者文件夹；空白注释 CRF 供申办方。', 'A paper copy of the casebook for the investigator site file; the blank annotated CRF for the sponsor.'),
    points: [
      bi('病例页点「打印 / 导出 PDF」：每页页眉有方案、中心、受试者和页码；附稽查轨迹。', 'In the casebook click "Print / PDF": every page has the protocol, site, subject and page number; the audit trail is appended.'),
      bi('桌面版直接保存为 PDF；浏览器模式用浏览器的打印保存为 PDF。', 'The desktop app saves a PDF directly; in browser mode use the browser\'s Print to save a PDF.'),
      bi('打印件为盲态版本，不含分组信息。', 'The printout is blinded: it never shows the allocation.'),
    ],
  },
  lock: {
    title: bi('锁屏、草稿与冲突', 'Lock, drafts and conflicts'),
    summary: bi('15 分钟无操作会锁屏；输入不会丢失。', 'After 15 minutes idle the screen locks; nothing typed is lost.'),
    points: [
      bi('重新登录后回到锁屏前打开的表单，可恢复草稿。', 'Log in again to return to the form that was open, and restore the draft.'),
      bi('他人先保存了同一表单时，您的输入会保留并与已保存的值并列显示，由您选择。', 'If someone else saved the same form first, your entry is kept and shown beside the saved values for you to choose.'),
    ],
  },
};
