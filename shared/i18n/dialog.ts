// UI strings shared by every dialog (the cancel and close buttons, the busy label), in zh-CN and English.
export const dialogZh = {
  cancel: '取消',
  close: '关闭',
  working: '正在处理…',
} as const;

export const dialogEn: { [K in keyof typeof dialogZh]: string } = {
  cancel: 'Cancel',
  close: 'Close',
  working: 'Working…',
};
