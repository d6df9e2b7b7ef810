import { defineMessages, type Language } from '../../lambdas/core/i18n/catalogue';

/* The administration screen's texts (AdminPage.tsx): a catalogue of its own, in the shape of every other. */
export const adminScreenMessages = defineMessages({
  nav: { vi: 'Quản trị cán bộ', en: 'People' },
  title: { vi: 'Quản trị cán bộ', en: 'People and positions' },
  intro: {
    vi: 'Cán bộ của cơ quan, vị trí, vai trò và chứng thư ký số; thêm người, chuyển vị trí công tác và ghi nhận nghỉ việc. Mọi thay đổi được ghi vào nhật ký quản trị.',
    en: "The organisation's people, their positions, roles and signing certificates; add a person, change a position and record a departure. Every change is in the administration log.",
  },
  organisation: { vi: 'Cơ quan', en: 'Organisation' },
  count: { vi: '{count} người', en: '{count} people' },
  empty: { vi: 'Cơ quan này chưa có ai.', en: 'Nobody in this organisation yet.' },
  col_name: { vi: 'Họ và tên', en: 'Name' },
  col_position: { vi: 'Chức vụ, vai trò', en: 'Position and role' },
  col_certificate: { vi: 'Chứng thư ký số', en: 'Signing certificate' },
  col_actions: { vi: 'Thao tác', en: 'Actions' },
  cert_valid: { vi: 'Còn hiệu lực', en: 'Valid' },
  cert_revoked: { vi: 'Đã thu hồi', en: 'Revoked' },
  cert_none: { vi: 'Chưa cấp', en: 'None yet' },
  cert_serial: { vi: 'Số hiệu {serial}', en: 'Serial {serial}' },
  you: { vi: '(bạn)', en: '(you)' },
  changePosition: { vi: 'Chuyển vị trí', en: 'Change position' },
  recordDeparture: { vi: 'Ghi nhận nghỉ việc', en: 'Record departure' },
  addPerson: { vi: 'Thêm cán bộ', en: 'Add a person' },
  id: { vi: 'Mã người dùng', en: 'User id' },
  idHint: {
    vi: 'Chữ thường không dấu, số và dấu gạch ngang, ví dụ ba-dinh-chuyen-vien-2; không đổi được về sau.',
    en: 'Lower-case letters, digits and dashes, e.g. ba-dinh-specialist-2; it cannot be changed later.',
  },
  name: { vi: 'Họ và tên', en: 'Full name' },
  email: { vi: 'Thư điện tử đăng nhập', en: 'Sign-in e-mail' },
  emailHint: {
    vi: 'Thư mời đăng nhập được gửi tới địa chỉ này.',
    en: 'The invitation to sign in is sent to this address.',
  },
  role: { vi: 'Vai trò', en: 'Role' },
  rank: { vi: 'Cấp lãnh đạo', en: 'Rank' },
  rank_head: { vi: 'Cấp trưởng', en: 'Head' },
  rank_deputy: { vi: 'Cấp phó', en: 'Deputy' },
  'rank_acting-head': { vi: 'Quyền cấp trưởng', en: 'Acting head' },
  positionTitle: { vi: 'Chức danh', en: 'Title' },
  titleHint: {
    vi: 'Để trống để dùng chức danh thông thường; lãnh đạo cần ghi rõ (Phó Chủ tịch, Phó Giám đốc…).',
    en: 'Leave empty for the usual title; a leader needs theirs written out (Phó Chủ tịch, Phó Giám đốc…).',
  },
  unitCode: { vi: 'Mã phòng, ban (nếu có)', en: 'Unit code (if any)' },
  guardedHint: {
    vi: 'Vai trò quản trị hệ thống và kiểm soát viên chỉ được giao khi một quản trị viên khác phê duyệt.',
    en: 'An administrator or auditor role is given only when another administrator approves it.',
  },
  save: { vi: 'Lưu', en: 'Save' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  added: { vi: 'Đã thêm {name}.', en: '{name} was added.' },
  addedInvited: {
    vi: 'Đã thêm {name} và tạo tài khoản đăng nhập.',
    en: '{name} was added and given a sign-in account.',
  },
  moved: {
    vi: 'Đã chuyển {name} sang vị trí mới; chứng thư cũ đã bị thu hồi, lần ký tới sẽ được cấp chứng thư mới.',
    en: '{name} now holds the new position; the old certificate was revoked and the next signature gets a new one.',
  },
  requested: {
    vi: 'Đã lập yêu cầu giao vị trí cho {name}; cần một quản trị viên khác phê duyệt.',
    en: 'A request for this position for {name} was made; another administrator must approve it.',
  },
  departureTitle: { vi: 'Ghi nhận {name} nghỉ việc', en: 'Record that {name} left' },
  departureExplain: {
    vi: 'Tài khoản đăng nhập bị khóa, chứng thư ký số bị thu hồi, mọi việc đang chờ (dự thảo chờ ký, văn bản được trình, văn bản được giao) chuyển cho người tiếp nhận trong một bước. Văn bản đã ký vẫn giữ nguyên giá trị.',
    en: 'Their sign-in is disabled, their certificate revoked, and everything pending with them (drafts to sign, documents presented or assigned to them) goes to the successor in one step. Documents they signed stay valid.',
  },
  successor: { vi: 'Người tiếp nhận công việc', en: 'Successor' },
  chooseSuccessor: { vi: '— Chọn người —', en: '— Choose someone —' },
  confirmDeparture: { vi: 'Xác nhận nghỉ việc', en: 'Confirm the departure' },
  departed: {
    vi: '{name} đã nghỉ việc: {count} văn bản đã chuyển cho {successor}.',
    en: '{name} has left: {count} documents were handed to {successor}.',
  },
  signInDisabled: { vi: 'Tài khoản đăng nhập đã bị khóa.', en: 'Their sign-in is disabled.' },
  signInNone: { vi: 'Người này chưa có tài khoản đăng nhập.', en: 'They had no sign-in account.' },
  certificateRevoked: { vi: 'Chứng thư {serial} đã bị thu hồi.', en: 'Certificate {serial} was revoked.' },
  requests: { vi: 'Yêu cầu giao vị trí chờ phê duyệt', en: 'Position requests awaiting approval' },
  requestLine: {
    vi: '{name}: {title} ({role}) tại {org}, do {by} đề nghị',
    en: '{name}: {title} ({role}) at {org}, asked by {by}',
  },
  approve: { vi: 'Phê duyệt', en: 'Approve' },
  reject: { vi: 'Từ chối', en: 'Reject' },
  approved: { vi: 'Đã phê duyệt: {name} nhận vị trí mới.', en: 'Approved: {name} holds the new position.' },
  rejected: { vi: 'Đã từ chối yêu cầu.', en: 'The request was turned down.' },
});

export type AdminScreenKey = (typeof adminScreenMessages.codes)[number];

export const adminScreenTranslator =
  (language: Language) => (key: AdminScreenKey, params?: Readonly<Record<string, string | number>>) =>
    adminScreenMessages.render(key, language, params);
