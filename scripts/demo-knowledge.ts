/**
 * The demo's knowledge base (SPEC §10): entries written for the demo's categories — SME policies such as
 * 稳岗返还, 留抵退税, 首贷, 用电报装 — generated from templates: for each policy topic its conditions,
 * materials, time limits, amounts, policy document and office, and for each aspect a helpdesk article
 * built from them (申请条件, 办理流程, 所需材料, …). The demo gets the city-wide articles and a few per
 * district; the search bench (bench/scenarios/knowledge.ts) gets 100,000 from the same templates scoped
 * by district, industry and year, and a caller's question per entry written differently from the entry
 * (held out: none of its sentences is the entry's) to measure whether search finds the right one.
 *
 * Pure generation here, plus `seedDemoKnowledge`, which writes the demo's entries (published by the
 * centre, versions and events included) when their titles are not there yet.
 */
import type { EntityManager } from 'typeorm';
import { addMonths } from '../src/modules/knowledge/knowledge-rules';
import { entryLexemes, headVectorText, vectorText } from '../src/modules/knowledge/knowledge-search';

export interface Topic {
  name: string;
  /** other names callers use (keywords) */
  also: string[];
  category: string;
  department: string;
  kind: 'service_guide' | 'law_regulation' | 'hot_qa' | 'daily_consultation' | 'notice' | 'business_guide';
  who: string;
  conditions: string[];
  materials: string[];
  days: number;
  amount: string;
  ref: string;
  office: string;
  online: string;
}

export const TOPICS: Topic[] = [
  {
    name: '稳岗返还',
    also: ['失业保险稳岗返还', '稳岗补贴'],
    category: 'LAB.SOCIAL',
    department: 'HZ-RSJ',
    kind: 'hot_qa',
    who: '依法参加失业保险的企业',
    conditions: [
      '上年度未裁员或裁员率不高于城镇调查失业率控制目标',
      '足额缴纳失业保险费满12个月',
      '未被列入严重失信主体名单',
    ],
    materials: [
      '无需企业申请，系统比对后“免申即享”',
      '银行账户信息变更的提供开户许可证明',
      '企业法定代表人授权书',
    ],
    days: 20,
    amount: '中小微企业按上年度实际缴纳失业保险费的60%返还，大型企业按30%返还',
    ref: '人社部发〔2024〕40号',
    office: '人力资源和社会保障局失业保险科',
    online: '浙江政务服务网“稳岗返还”专区',
  },
  {
    name: '留抵退税',
    also: ['增值税留抵退税', '增量留抵退税', '存量留抵退税'],
    category: 'POL.TAX',
    department: 'HZ-TAX',
    kind: 'law_regulation',
    who: '符合条件的小微企业和制造业等行业纳税人',
    conditions: [
      '纳税信用等级为A级或者B级',
      '申请退税前36个月未发生骗取留抵退税、骗取出口退税或虚开增值税专用发票情形',
      '2019年4月1日起未享受即征即退、先征后返（退）政策',
    ],
    materials: ['《退（抵）税申请表》', '近期增值税纳税申报表', '留抵税额计算明细'],
    days: 5,
    amount: '增量留抵税额全额退还，存量留抵税额按规定一次性退还',
    ref: '财政部 税务总局公告2022年第14号',
    office: '主管税务机关办税服务厅',
    online: '电子税务局“退抵税申请”模块',
  },
  {
    name: '首贷',
    also: ['首次贷款', '首贷户', '首贷服务中心'],
    category: 'FIN.LOAN',
    department: 'HZ-JRB',
    kind: 'service_guide',
    who: '从未在银行取得过经营性贷款的小微企业和个体工商户',
    conditions: ['依法登记注册并正常经营满6个月', '企业及实际控制人无不良信用记录', '贷款用途为生产经营'],
    materials: ['营业执照', '近一年财务报表或纳税证明', '法定代表人身份证件'],
    days: 7,
    amount: '单户首贷额度一般在300万元以内，利率执行普惠小微优惠利率',
    ref: '金融支持小微企业首贷拓展行动方案',
    office: '首贷服务中心（市民之家三楼）',
    online: '浙江省企业信用综合服务平台“浙里贷”',
  },
  {
    name: '用电报装',
    also: ['低压用电报装', '电力接入', '装表接电'],
    category: 'UTIL.POWER',
    department: 'HZ-POWER',
    kind: 'service_guide',
    who: '新建、扩建需接入电网的企业用户',
    conditions: ['用电地址产权清晰', '内部受电工程已具备接电条件', '低压160千瓦及以下实行“三零”服务'],
    materials: ['用电人有效身份证明', '用电地址物业权属证明', '容缺受理承诺书（材料不全时）'],
    days: 3,
    amount: '低压小微企业接电实行零投资，电表及以外工程由供电公司投资',
    ref: '关于持续优化用电营商环境的实施意见',
    office: '供电营业厅',
    online: '“网上国网”App',
  },
  {
    name: '用水报装',
    also: ['供水接入', '给水报装'],
    category: 'UTIL.WATER',
    department: 'HZ-WATER',
    kind: 'service_guide',
    who: '需要新装或增容供水的企业',
    conditions: ['用水地址已取得规划许可', '内部管网已按规范施工', '缴清原有水费'],
    materials: ['报装申请表', '营业执照', '总平面布置图'],
    days: 5,
    amount: '管径DN50及以下小微企业接水工程免收费用',
    ref: '优化供水报装服务十条措施',
    office: '水务集团客户服务中心',
    online: '“湖州水务”微信公众号',
  },
  {
    name: '燃气报装',
    also: ['天然气开户', '燃气接入'],
    category: 'UTIL.GAS',
    department: 'HZ-GAS',
    kind: 'service_guide',
    who: '需使用管道天然气的工商业用户',
    conditions: ['用气场所符合燃气安全规范', '已完成消防验收或承诺', '用气设备符合国家标准'],
    materials: ['燃气报装申请表', '营业执照', '用气场所平面图'],
    days: 10,
    amount: '工商户燃气工程安装费按政府指导价执行，不得收取其他费用',
    ref: '城镇燃气管理条例',
    office: '燃气公司营业厅',
    online: '“浙里办”燃气报装应用',
  },
  {
    name: '社保费缓缴',
    also: ['阶段性缓缴社会保险费', '社保缓缴'],
    category: 'LAB.SOCIAL',
    department: 'HZ-RSJ',
    kind: 'notice',
    who: '生产经营出现暂时困难的中小微企业',
    conditions: ['生产经营出现暂时困难', '缓缴期间不影响职工享受社保待遇', '缓缴期满一次性补缴'],
    materials: ['缓缴申请书', '经营困难情况说明', '职工代表大会或工会意见'],
    days: 10,
    amount: '养老、失业、工伤三项社保费单位缴费部分可缓缴，缓缴期间免收滞纳金',
    ref: '人社部发〔2022〕31号',
    office: '社会保险经办机构',
    online: '浙江政务服务网社保专区',
  },
  {
    name: '一次性扩岗补助',
    also: ['扩岗补助', '吸纳高校毕业生补助'],
    category: 'LAB.RECRUIT',
    department: 'HZ-RSJ',
    kind: 'hot_qa',
    who: '招用毕业年度或离校两年内未就业高校毕业生的企业',
    conditions: ['签订劳动合同', '为其按月足额缴纳失业保险费', '招用对象为16至24岁登记失业青年或高校毕业生'],
    materials: ['扩岗补助申请表', '劳动合同复印件', '社保缴费明细'],
    days: 15,
    amount: '每招用一人发放不超过1500元的一次性扩岗补助',
    ref: '人社厅发〔2023〕19号',
    office: '就业管理服务局',
    online: '浙江省就业创业服务平台',
  },
  {
    name: '研发费用加计扣除',
    also: ['加计扣除', '研发费用税前扣除'],
    category: 'POL.TAX',
    department: 'HZ-TAX',
    kind: 'law_regulation',
    who: '会计核算健全、实行查账征收的居民企业',
    conditions: ['研发活动符合规定范围', '研发费用单独归集核算', '不属于负面清单行业'],
    materials: ['研发项目立项文件', '研发费用辅助账', '研发支出汇总表'],
    days: 0,
    amount: '研发费用按实际发生额的100%在税前加计扣除，形成无形资产的按成本的200%摊销',
    ref: '财政部 税务总局公告2023年第7号',
    office: '主管税务机关',
    online: '电子税务局企业所得税预缴申报',
  },
  {
    name: '小微企业所得税优惠',
    also: ['小型微利企业所得税减免', '小微企业减税'],
    category: 'POL.TAX',
    department: 'HZ-TAX',
    kind: 'law_regulation',
    who: '从事国家非限制和禁止行业的小型微利企业',
    conditions: ['年度应纳税所得额不超过300万元', '从业人数不超过300人', '资产总额不超过5000万元'],
    materials: [
      '无需备案，申报时填写相关栏次即可享受',
      '留存备查的从业人数和资产总额计算资料',
      '企业所得税申报表',
    ],
    days: 0,
    amount: '减按25%计入应纳税所得额，按20%的税率缴纳企业所得税',
    ref: '财政部 税务总局公告2023年第12号',
    office: '主管税务机关',
    online: '电子税务局',
  },
  {
    name: '政府性融资担保',
    also: ['融资担保', '政策性担保'],
    category: 'FIN.GUAR',
    department: 'HZ-JRB',
    kind: 'service_guide',
    who: '小微企业、个体工商户和“三农”主体',
    conditions: ['主营业务突出、经营稳定', '企业及实际控制人信用良好', '单户担保金额1000万元以下'],
    materials: ['担保申请书', '营业执照', '近两年财务报表'],
    days: 5,
    amount: '担保费率不超过1%，单户500万元以下不超过0.5%',
    ref: '国办发〔2019〕6号',
    office: '市融资担保有限公司',
    online: '“浙里担”线上担保平台',
  },
  {
    name: '贷款贴息',
    also: ['贴息', '财政贴息'],
    category: 'FIN.SUBSIDY',
    department: 'HZ-CZJ',
    kind: 'service_guide',
    who: '符合产业政策并按期还本付息的企业',
    conditions: ['贷款用于技术改造或设备更新', '按期足额还本付息', '同一项目未享受其他财政贴息'],
    materials: ['贴息申请表', '借款合同', '付息凭证'],
    days: 30,
    amount: '按实际支付利息的50%给予贴息，单个企业年度贴息最高200万元',
    ref: '设备更新贷款财政贴息实施方案',
    office: '财政局经济建设科',
    online: '“浙里办”惠企政策直达',
  },
  {
    name: '技改补助',
    also: ['技术改造补助', '设备投资补助'],
    category: 'POL.SUBSIDY',
    department: 'HZ-JXJ',
    kind: 'business_guide',
    who: '实施技术改造项目的规上工业企业',
    conditions: ['项目已完成备案', '生产性设备投资额达到500万元以上', '项目已竣工投产'],
    materials: ['项目备案文件', '设备购置发票', '竣工验收报告'],
    days: 60,
    amount: '按设备投资额的8%至12%给予补助，单个项目最高1000万元',
    ref: '关于推动制造业高质量发展的若干政策',
    office: '经济和信息化局技术改造科',
    online: '企业码惠企政策模块',
  },
  {
    name: '专精特新认定',
    also: ['专精特新中小企业', '专精特新申报'],
    category: 'POL.SUBSIDY',
    department: 'HZ-JXJ',
    kind: 'business_guide',
    who: '从事特定细分市场的中小企业',
    conditions: ['从事特定细分市场时间达到2年以上', '上年度研发费用总额不低于100万元', '拥有有效知识产权'],
    materials: ['申报书', '知识产权证明', '近两年审计报告'],
    days: 60,
    amount: '首次认定为省级专精特新中小企业的给予一次性奖励30万元',
    ref: '优质中小企业梯度培育管理办法',
    office: '经济和信息化局中小企业科',
    online: '浙江省企业服务综合平台',
  },
  {
    name: '高新技术企业认定',
    also: ['高企认定', '高新企业申报'],
    category: 'POL.SUBSIDY',
    department: 'HZ-KJJ',
    kind: 'business_guide',
    who: '注册成立一年以上的居民企业',
    conditions: [
      '拥有核心技术的知识产权',
      '科技人员占职工总数比例不低于10%',
      '近三个会计年度研发费用占比达到规定比例',
    ],
    materials: ['认定申请书', '知识产权证书', '研发费用专项审计报告'],
    days: 90,
    amount: '认定后企业所得税减按15%征收，另给予一次性奖励20万元',
    ref: '高新技术企业认定管理办法',
    office: '科学技术局高新技术科',
    online: '高新技术企业认定管理工作网',
  },
  {
    name: '专利申请资助',
    also: ['专利资助', '知识产权资助'],
    category: 'IP.PATENT',
    department: 'HZ-SCJG',
    kind: 'service_guide',
    who: '本市注册的企业和事业单位',
    conditions: ['专利权人为本市注册单位', '发明专利已获授权', '同一专利不重复资助'],
    materials: ['资助申请表', '专利证书', '缴费凭证'],
    days: 45,
    amount: '国内发明专利授权每件资助5000元，PCT国际专利每件最高5万元',
    ref: '知识产权专项资金管理办法',
    office: '市场监督管理局知识产权科',
    online: '知识产权公共服务平台',
  },
  {
    name: '企业开办',
    also: ['开办企业', '营业执照办理', '一网通办开办'],
    category: 'APPR.LICENSE',
    department: 'HZ-SPJ',
    kind: 'service_guide',
    who: '新设立的各类企业',
    conditions: ['名称自主申报通过', '住所（经营场所）真实有效', '股东及高管身份核验通过'],
    materials: ['公司章程', '住所使用证明', '全体股东身份证明'],
    days: 1,
    amount: '营业执照、公章刻制、发票申领和社保登记全程免费',
    ref: '优化营商环境条例',
    office: '市民之家企业开办专区',
    online: '浙江省企业开办“一件事”平台',
  },
  {
    name: '工程建设项目审批',
    also: ['项目审批', '施工许可'],
    category: 'APPR.PROJECT',
    department: 'HZ-FGW',
    kind: 'business_guide',
    who: '社会投资的工程建设项目单位',
    conditions: ['项目已完成立项备案', '用地手续已落实', '施工图审查合格'],
    materials: ['项目备案证明', '用地批准文件', '施工图审查合格书'],
    days: 20,
    amount: '全流程审批时间压缩至80个工作日以内，小型低风险项目20个工作日',
    ref: '工程建设项目审批制度改革实施方案',
    office: '行政审批服务局投资项目窗口',
    online: '工程建设项目审批管理系统',
  },
  {
    name: '用地预审',
    also: ['用地指标', '建设用地预审'],
    category: 'LAND.QUOTA',
    department: 'HZ-ZRZY',
    kind: 'business_guide',
    who: '需新增建设用地的项目单位',
    conditions: ['符合国土空间规划', '符合供地政策', '节约集约用地'],
    materials: ['用地预审申请表', '项目建议书或可研报告', '勘测定界图'],
    days: 20,
    amount: '重点产业项目优先保障用地指标',
    ref: '建设项目用地预审管理办法',
    office: '自然资源和规划局用途管制科',
    online: '自然资源业务一张图平台',
  },
  {
    name: '规划许可',
    also: ['建设工程规划许可证', '规划审批'],
    category: 'LAND.PLAN',
    department: 'HZ-ZRZY',
    kind: 'service_guide',
    who: '取得建设用地使用权的建设单位',
    conditions: ['已取得土地使用权证明', '设计方案符合规划条件', '已缴纳相关规费'],
    materials: ['规划许可申请表', '设计方案文本', '土地使用权证明'],
    days: 10,
    amount: '工业项目实行“拿地即开工”，规划许可与施工许可并联办理',
    ref: '城乡规划法',
    office: '自然资源和规划局审批窗口',
    online: '浙江政务服务网',
  },
  {
    name: '首违不罚',
    also: ['轻微违法不罚', '包容审慎监管'],
    category: 'INSP.PENALTY',
    department: 'HZ-SFJ',
    kind: 'law_regulation',
    who: '初次违法且危害后果轻微的市场主体',
    conditions: ['属于首次违法', '危害后果轻微', '及时改正'],
    materials: ['无需申请，执法机关依法适用', '整改完成证明', '情况说明'],
    days: 0,
    amount: '依法不予行政处罚，以教育、告诫、指导为主',
    ref: '行政处罚法第三十三条',
    office: '司法局行政执法协调监督科',
    online: '浙江省行政执法监管平台',
  },
  {
    name: '涉企检查',
    also: ['多头检查', '综合查一次', '入企检查'],
    category: 'INSP.MULTI',
    department: 'HZ-SFJ',
    kind: 'notice',
    who: '被列入年度检查计划的企业',
    conditions: ['检查须纳入年度计划', '同一部门一年内原则上只检查一次', '跨部门检查实行“综合查一次”'],
    materials: ['检查通知书', '执法人员证件', '检查记录'],
    days: 0,
    amount: '无计划检查可向司法行政部门投诉',
    ref: '关于严格规范涉企行政检查的意见',
    office: '司法局行政执法协调监督科',
    online: '“浙里办”涉企检查码',
  },
  {
    name: '账款拖欠投诉',
    also: ['拖欠中小企业账款', '清欠'],
    category: 'ARR.GOV',
    department: 'HZ-JXJ',
    kind: 'daily_consultation',
    who: '被机关、事业单位或大型企业拖欠账款的中小企业',
    conditions: ['合同约定的付款期限已届满', '有合同、验收单等证明材料', '双方无重大争议'],
    materials: ['投诉书', '合同及验收证明', '催款记录'],
    days: 10,
    amount: '机关事业单位应自货物、工程、服务交付之日起30日内支付款项',
    ref: '保障中小企业款项支付条例',
    office: '经济和信息化局（市清欠办）',
    online: '国家违约拖欠中小企业款项登记（投诉）平台',
  },
  {
    name: '出口退税',
    also: ['外贸出口退税', '出口退（免）税'],
    category: 'POL.TAX',
    department: 'HZ-TAX',
    kind: 'service_guide',
    who: '办理出口退（免）税备案的出口企业',
    conditions: ['已办理出口退（免）税备案', '货物已报关离境', '已收汇或符合视同收汇规定'],
    materials: ['出口退税申报表', '出口货物报关单电子信息', '增值税专用发票'],
    days: 3,
    amount: '一类二类出口企业正常退税平均办理时间压缩至3个工作日内',
    ref: '出口货物劳务增值税和消费税管理办法',
    office: '主管税务机关出口退税科',
    online: '出口退税申报系统',
  },
  {
    name: '招工对接',
    also: ['用工对接', '校企合作招聘'],
    category: 'LAB.RECRUIT',
    department: 'HZ-RSJ',
    kind: 'daily_consultation',
    who: '存在阶段性用工缺口的企业',
    conditions: ['在人力资源市场登记用工需求', '提供真实岗位信息', '依法签订劳动合同'],
    materials: ['用工需求登记表', '营业执照', '岗位说明'],
    days: 7,
    amount: '免费发布招聘信息，参加专场招聘会不收费',
    ref: '就业促进法',
    office: '人力资源市场',
    online: '湖州就业创业网',
  },
  {
    name: '劳动争议调解',
    also: ['劳动纠纷调解', '劳动仲裁'],
    category: 'LAB.DISPUTE',
    department: 'HZ-RSJ',
    kind: 'daily_consultation',
    who: '与职工发生劳动争议的用人单位',
    conditions: ['属于劳动争议受案范围', '在仲裁时效一年内提出', '双方自愿调解'],
    materials: ['调解申请书', '劳动合同', '相关证据材料'],
    days: 15,
    amount: '劳动争议调解和仲裁不收费',
    ref: '劳动争议调解仲裁法',
    office: '劳动人事争议仲裁院',
    online: '浙江智慧仲裁平台',
  },
];

/** An aspect: how the entry's title ends, its question, its answer, and how a caller asks (held out). */
interface Aspect {
  title: string;
  question: (t: string) => string;
  answer: (t: Topic, scope: string) => string;
  asked: ((t: string) => string)[];
}

const list = (xs: string[]) => xs.map((x, i) => `${'一二三四五'[i]}是${x}`).join('；');

export const ASPECTS: Aspect[] = [
  {
    title: '申请条件',
    question: (t) => `${t}需要满足哪些条件？`,
    answer: (t, scope) => `${scope}${t.who}申请${t.name}，应当同时符合以下条件：${list(t.conditions)}。`,
    asked: [(t) => `${t}有什么申请条件`, (t) => `我们够不够条件申请${t}`],
  },
  {
    title: '办理流程',
    question: (t) => `${t}怎么办理？`,
    answer: (t, scope) =>
      `${scope}${t.name}按“申请—受理—审核—办结”办理：企业通过${t.online}提交申请，${t.office}受理后审核，审核通过后办结并告知结果。`,
    asked: [(t) => `${t}的办理流程是怎样的`, (t) => `${t}去哪里办流程麻烦吗`],
  },
  {
    title: '所需材料',
    question: (t) => `${t}要准备什么材料？`,
    answer: (t, scope) =>
      `${scope}办理${t.name}需提交：${t.materials.join('、')}。材料不全的可先容缺受理，后补材料。`,
    asked: [(t) => `办${t}要交哪些材料`, (t) => `${t}需要带什么资料`],
  },
  {
    title: '办理时限',
    question: (t) => `${t}多长时间能办好？`,
    answer: (t, scope) =>
      t.days > 0
        ? `${scope}${t.name}自受理之日起${t.days}个工作日内办结，材料齐全的当场受理。`
        : `${scope}${t.name}在申报时即可享受，无需等待审批。`,
    asked: [(t) => `${t}办理时限多久`, (t) => `${t}几天能办下来`],
  },
  {
    title: '补助标准',
    question: (t) => `${t}的标准是多少？`,
    answer: (t, scope) => `${scope}${t.name}的标准：${t.amount}。`,
    asked: [(t) => `${t}的补助标准是多少`, (t) => `${t}能享受多少优惠`],
  },
  {
    title: '网上办理指南',
    question: (t) => `${t}可以网上办吗？`,
    answer: (t, scope) =>
      `${scope}${t.name}已实现全程网办：登录${t.online}，按提示填写并上传材料，进度可在线查询。`,
    asked: [(t) => `${t}能不能网上办理`, (t) => `${t}在手机上怎么网上申请`],
  },
  {
    title: '常见问题解答',
    question: (t) => `${t}申请被退回怎么办？`,
    answer: (t, scope) =>
      `${scope}${t.name}申请被退回的，多为材料不全或信息不一致。请按退回意见补正后重新提交，也可向${t.office}咨询。`,
    asked: [(t) => `${t}申请被退回了怎么办`, (t) => `${t}常见问题有哪些`],
  },
  {
    title: '政策依据',
    question: (t) => `${t}依据的是哪个文件？`,
    answer: (t, scope) => `${scope}${t.name}的政策依据为《${t.ref}》，具体以主管部门最新口径为准。`,
    asked: [(t) => `${t}的政策依据是什么文件`, (t) => `${t}根据哪个政策文件执行`],
  },
  {
    title: '咨询窗口',
    question: (t) => `${t}找哪个部门咨询？`,
    answer: (t, scope) => `${scope}${t.name}由${t.office}负责，可到窗口现场咨询，也可拨打12345转接。`,
    asked: [(t) => `${t}找哪个窗口咨询`, (t) => `${t}归哪个部门管咨询谁`],
  },
  {
    title: '注意事项',
    question: (t) => `${t}有哪些注意事项？`,
    answer: (t, scope) =>
      `${scope}申请${t.name}须如实提供材料，弄虚作假的将追回资金并纳入失信记录；政策有效期内逾期未申请的视为放弃。`,
    asked: [(t) => `申请${t}有哪些注意事项`, (t) => `${t}要注意什么问题`],
  },
];

export const BENCH_DISTRICTS = [
  '吴兴区',
  '南浔区',
  '德清县',
  '长兴县',
  '安吉县',
  '越城区',
  '柯桥区',
  '上虞区',
  '诸暨市',
  '嵊州市',
  '新昌县',
  '南湖区',
  '秀洲区',
  '嘉善县',
  '海盐县',
  '海宁市',
];
export const INDUSTRIES = [
  '制造业',
  '批发零售业',
  '住宿餐饮业',
  '外贸企业',
  '科技型中小企业',
  '个体工商户',
  '建筑业',
  '物流企业',
  '文化旅游企业',
  '农业企业',
];
export const YEARS = [2024, 2025, 2026];

export interface GeneratedEntry {
  title: string;
  question: string;
  answer: string;
  keywords: string[];
  kind: Topic['kind'];
  policyRef: string;
  category: string;
  department: string;
  public: boolean;
  /** a caller's question for this entry, none of whose sentences is the entry's own */
  asked: string;
}

/** Where an entry applies: city-wide, or a district, an industry and a year. */
export interface Scope {
  district?: string;
  industry?: string;
  year?: number;
}

export function generateEntry(topic: Topic, aspect: Aspect, scope: Scope, variant: number): GeneratedEntry {
  const where = `${scope.district ?? ''}${scope.industry ?? ''}`;
  const year = scope.year ? `（${scope.year}年）` : '';
  const scopeText =
    scope.district || scope.industry ? `${scope.district ?? ''}范围内的${scope.industry ?? '企业'}` : '';
  const name = topic.name;
  const also = topic.also[variant % topic.also.length];
  const ask = aspect.asked[variant % aspect.asked.length](variant % 3 === 0 ? also : name);
  const askedScope = [
    scope.district ? `我们在${scope.district}` : '',
    scope.industry ? `是${scope.industry}` : '',
    scope.year ? `问的是${scope.year}年的` : '',
  ]
    .filter(Boolean)
    .join('，');
  return {
    title: `${where}${name}${aspect.title}${year}`,
    question: `${scope.year ? `${scope.year}年` : ''}${aspect.question(name)}`,
    answer: aspect.answer(topic, scopeText ? `${scopeText}：` : ''),
    keywords: [name, ...topic.also].filter((k) => k.length <= 20).slice(0, 4),
    kind: topic.kind,
    policyRef: topic.ref,
    category: topic.category,
    department: topic.department,
    public: topic.kind !== 'daily_consultation' || variant % 2 === 0,
    asked: askedScope ? `${askedScope}，${ask}？` : `${ask}？`,
  };
}

/** The demo's entries: every topic × aspect city-wide (260), and a few per Huzhou district (60). */
export function demoEntries(): GeneratedEntry[] {
  const out: GeneratedEntry[] = [];
  TOPICS.forEach((topic, ti) =>
    ASPECTS.forEach((aspect, ai) => out.push(generateEntry(topic, aspect, {}, ti + ai))),
  );
  BENCH_DISTRICTS.slice(0, 5).forEach((district, di) =>
    TOPICS.slice(0, 12).forEach((topic, ti) =>
      out.push(generateEntry(topic, ASPECTS[(ti + di) % 3], { district }, di)),
    ),
  );
  return out;
}

/** `n` distinct entries for the search bench, scoped by district, industry and year (up to 124,800). */
export function* benchEntries(n: number): Generator<GeneratedEntry> {
  const scopes = BENCH_DISTRICTS.length * INDUSTRIES.length * YEARS.length;
  const total = TOPICS.length * ASPECTS.length * scopes;
  if (n > total) throw new Error(`at most ${total} bench entries`);
  // a stride coprime with the total walks every combination once, spread over topics and scopes
  const stride = 7919;
  for (let i = 0; i < n; i++) {
    const k = (i * stride) % total;
    const topic = TOPICS[k % TOPICS.length];
    const aspect = ASPECTS[Math.floor(k / TOPICS.length) % ASPECTS.length];
    const s = Math.floor(k / (TOPICS.length * ASPECTS.length));
    const scope = {
      district: BENCH_DISTRICTS[s % BENCH_DISTRICTS.length],
      industry: INDUSTRIES[Math.floor(s / BENCH_DISTRICTS.length) % INDUSTRIES.length],
      year: YEARS[Math.floor(s / (BENCH_DISTRICTS.length * INDUSTRIES.length))],
    };
    yield generateEntry(topic, aspect, scope, i);
  }
}

/** The columns of one published entry and its version as rows, for a bulk insert. */
export function publishedRow(e: GeneratedEntry, publishedAt: Date, reviewDueAt: Date) {
  const lex = entryLexemes({ title: e.title, keywords: e.keywords, question: e.question, answer: e.answer });
  return { ...e, publishedAt, reviewDueAt, vector: vectorText(lex), head: headVectorText(lex) };
}

/**
 * Writes published entries (and version 1 of each, and their created/published events) in one statement
 * per call; `ids` are uuids the caller made, `departmentIds` the source department of each (null: the
 * centre).
 */
export async function insertPublished(
  m: { query(text: string, params: unknown[]): Promise<unknown> },
  rows: ReturnType<typeof publishedRow>[],
  departmentIds: (string | null)[],
  categoryCodes: string[],
  createdBy: string,
): Promise<string[]> {
  const result = await m.query(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::boolean[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::text[], $13::text[])
         AS t(dept, category, kind, title, question, answer, keywords, public, published_at, review_due_at, vector,
              head, policy_ref)
     ), entries AS (
       INSERT INTO knowledge_entries (source_department_id, status, version, published_version, category_code, kind,
              title, public, review_due_at, published_at, confirmed_at, search_vector, head_vector, created_by,
              created_at, updated_at)
       SELECT dept, 'published', 1, 1, category, kind, title, public, review_due_at, published_at,
              CASE WHEN review_due_at > published_at + interval '7 months' THEN review_due_at - interval '6 months' END,
              vector::tsvector, head::tsvector, $14, published_at, published_at
         FROM input
       RETURNING id, title
     ), versions AS (
       INSERT INTO knowledge_versions (entry_id, version, status, category_code, title, question, answer, kind, keywords,
              policy_ref, effective_from, public, created_by, created_at, updated_at, submitted_at, published_at,
              published_by)
       SELECT e.id, 1, 'published', i.category, i.title, i.question, i.answer, i.kind, i.keywords::text[],
              i.policy_ref, i.published_at, i.public, $14, i.published_at, i.published_at, i.published_at,
              i.published_at, $14
         FROM entries e JOIN input i ON i.title = e.title
     ), events AS (
       INSERT INTO knowledge_events (entry_id, version, action, actor_id, actor_role, data, created_at)
       SELECT e.id, 1, a.action, $14, 'dispatcher', a.data, i.published_at
         FROM entries e JOIN input i ON i.title = e.title
         CROSS JOIN (VALUES ('knowledge.created', '{}'::jsonb), ('knowledge.published', '{"seeded": true}'::jsonb)) AS a(action, data)
     )
     SELECT id FROM entries`,
    [
      departmentIds,
      categoryCodes,
      rows.map((r) => r.kind),
      rows.map((r) => r.title),
      rows.map((r) => r.question),
      rows.map((r) => r.answer),
      rows.map((r) => `{${r.keywords.map((k) => `"${k.replace(/(["\\])/g, '\\$1')}"`).join(',')}}`),
      rows.map((r) => r.public),
      rows.map((r) => r.publishedAt),
      rows.map((r) => r.reviewDueAt),
      rows.map((r) => r.vector),
      rows.map((r) => r.head),
      rows.map((r) => r.policyRef),
      createdBy,
    ],
  );
  // an EntityManager answers the rows, a pg Pool an object holding them
  const inserted = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    id: string;
  }[];
  return inserted.map((r) => r.id);
}

const DAY = 86_400_000;

/**
 * The demo's entries, published by the centre's dispatcher for their departments at instants spread over
 * the year before `now`; about one in ten is past its review date and not confirmed (stale), the others
 * confirmed recently. Entries whose title is there already are left alone. Resolves with how many it wrote.
 */
export async function seedDemoKnowledge(
  m: EntityManager,
  o: { now: Date; dispatcherId: string; departments: Map<string, string> },
): Promise<number> {
  const all = demoEntries();
  const there: { title: string }[] = await m.query(
    `SELECT title FROM knowledge_entries WHERE title = ANY($1)`,
    [all.map((e) => e.title)],
  );
  const existing = new Set(there.map((r) => r.title));
  const fresh = all.filter((e) => !existing.has(e.title));
  if (fresh.length === 0) return 0;
  const rows = fresh.map((e, i) => {
    const publishedAt = new Date(o.now.getTime() - (420 - ((i * 37) % 400)) * DAY);
    // one in ten left unconfirmed past its review date; the others confirmed within the last months
    const reviewDueAt =
      i % 10 === 3
        ? addMonths(publishedAt, 6)
        : addMonths(new Date(o.now.getTime() - ((i * 13) % 150) * DAY), 6);
    return publishedRow(
      e,
      publishedAt,
      reviewDueAt < addMonths(publishedAt, 6) ? addMonths(publishedAt, 6) : reviewDueAt,
    );
  });
  await insertPublished(
    m,
    rows,
    fresh.map((e) => o.departments.get(e.department) ?? null),
    fresh.map((e) => e.category),
    o.dispatcherId,
  );
  return fresh.length;
}
