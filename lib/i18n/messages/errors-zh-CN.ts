// 简体中文 server messages: exactly the keys of errors-en.ts (type-checked).
import type { ErrorKey } from "./errors-en";

export const errorsZhCN: Record<ErrorKey, string> = {
  "err.internal": "内部错误：详见服务器日志",
};
