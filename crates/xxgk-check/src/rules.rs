//! The rule catalogue: every check as static data (identifier, severity, title, explanation,
//! reference), in the manner of ruff's registry.
//!
//! Identifiers are stable: they are what users filter on and what the JSON prints. A rule is
//! never renamed or reused; a rule that is dropped stays here, documented as such.
//!
//! Every finding a check emits takes its severity from this catalogue (the checks build
//! findings through one constructor that looks the rule up), so a rule has exactly one severity. An identity that cannot be
//! evaluated because one of its cells is blank or not a number is reported under its own rule,
//! [`UNVERIFIABLE`](RULES) (提示), naming the identity's rule in the message — never as a pass or
//! a failure of the identity.

pub use xxgk_model::RuleDef;
use xxgk_model::Severity;

const fn rule(
    id: &'static str,
    severity: Severity,
    title: &'static str,
    explanation: &'static str,
    reference: &'static str,
) -> RuleDef {
    RuleDef::new(id, severity, title, explanation, reference)
}

const fn series(
    id: &'static str,
    severity: Severity,
    title: &'static str,
    explanation: &'static str,
    reference: &'static str,
) -> RuleDef {
    RuleDef::new(id, severity, title, explanation, reference).across_years()
}

use Severity::{Error, Info, Warning};

/// Every rule, grouped: tables, values, structure and format, dates, narrative, across years.
pub static RULES: &[RuleDef] = &[
    // ---------------------------------------------------------------- tables
    rule(
        "T3-BALANCE",
        Error,
        "表三勾稽关系：一 + 二 = （七）总计 + 四",
        "检查表三每一列（六类申请人及总计）是否满足表内印制的勾稽关系：本年新收申请数与上年结转申请数之和，等于本年度办理结果总计与结转下年度继续办理数之和。每件申请要么在本年办结，要么结转下年度，二者之和必然等于本年新收与上年结转之和；不相等说明有申请漏计、重计或填错列。修改方法：逐件核对申请台账，使各列两边相等。",
        "国办公开办函〔2021〕30号表三表头注“第一项加第二项之和，等于第三项加第四项之和”",
    ),
    rule(
        "T3-OUTCOME-SUM",
        Error,
        "表三（七）总计等于各项办理结果之和",
        "检查表三每一列的“（七）总计”是否等于（一）予以公开、（二）部分公开、（三）不予公开1—8、（四）无法提供1—3、（五）不予处理1—5、（六）其他处理各行之和（2021 年格式为（六）1—3 三行；2019 年格式或只印一行“（六）其他处理”的报告为该一行）。每件办结的申请只计入一种办理结果，总计必须等于各结果之和。修改方法：核对各办理结果行与总计行。",
        "国办公开办函〔2021〕30号表三结构",
    ),
    rule(
        "T3-ROW-TOTAL",
        Error,
        "表三每行总计等于六类申请人之和",
        "检查表三每一行的“总计”列是否等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。表中没有“法人小计”列，总计就是六列之和。修改方法：按行重新合计，或补填漏填的申请人列。",
        "国办公开办函〔2021〕30号表三列结构",
    ),
    rule(
        "T3-CARRIED-FORWARD-BOUND",
        Warning,
        "表三结转下年度不超过新收与上年结转之和",
        "检查表三每一列的“四、结转下年度继续办理”是否不大于“一、本年新收”与“二、上年结转”之和。结转下年度的申请只能来自本年新收或上年结转的申请；超出说明数字填错行或列。此项由勾稽关系推出，单独列出以便定位。",
        "国办公开办函〔2021〕30号表三结构",
    ),
    rule(
        "T3-OTHER-SHARE",
        Warning,
        "表三“其他处理·其他”占比过高",
        "当本年办结申请不少于 10 件、且“（六）其他处理·3.其他”（或单行“（六）其他处理”）超过“（七）总计”的 30% 时提示。“其他”只应用于撤回、无法联系申请人等少数情形，占比过高往往说明把应归入予以公开、无法提供、不予处理等行的申请放进了“其他”。修改方法：按《条例》第三十六条的答复类型重新归类。",
        "国办公开办函〔2021〕30号表三“（六）其他处理”",
    ),
    rule(
        "T2-IN-FORCE-BOUND",
        Warning,
        "表二现行有效件数不少于本年制发件数",
        "2021 年格式：规章、行政规范性文件行的“本年废止件数”为 0 时，“现行有效件数”不应小于“本年制发件数”——本年制发且未废止的文件都应仍然有效。修改方法：核对现行有效文件清单。",
        "国办公开办函〔2021〕30号表二“现行有效件数”",
    ),
    rule(
        "T2-PUBLISHED-BOUND",
        Warning,
        "表二本年新公开数量不超过对外公开总数量",
        "2019 年试行格式：规章、规范性文件行的“本年新公开数量”不应大于“对外公开总数量”，后者包含本年新公开的文件。修改方法：核对两列的统计口径。",
        "国办公开办函〔2019〕60号表二",
    ),
    rule(
        "T4-GROUP-TOTAL",
        Error,
        "表四各组总计等于四种结果之和",
        "检查表四行政复议、行政诉讼（未经复议直接起诉）、行政诉讼（复议后起诉）三组中，“总计”是否等于结果维持、结果纠正、其他结果、尚未审结四列之和。每件案件只有一种结果（含尚未审结）。修改方法：按组重新合计。",
        "国办公开办函〔2021〕30号表四结构",
    ),
    rule(
        "UNVERIFIABLE",
        Info,
        "表内关系无法核验（单元格空白或非数字）",
        "表内关系（T3-BALANCE、T3-OUTCOME-SUM、T3-ROW-TOTAL、T4-GROUP-TOTAL）涉及的单元格中有空白或填写了“/”“-”“无”等非数字内容时，该关系既不判为成立也不判为不成立，而是报告为无法核验，并列出造成无法核验的单元格。空白不等于 0：报告没有印出的数字，检查不替报告补上。修改方法：在这些单元格中填写数字（没有发生的填 0）。",
        "国办公开办函〔2021〕30号（表格各格填数字，没有发生的事项填 0）",
    ),
    // ---------------------------------------------------------------- values
    rule(
        "VALUE-NEGATIVE",
        Error,
        "数值为负",
        "表中的件数、金额都不能为负；只有 2019 年试行格式表二的“本年增/减”可以为负。负数多为把减少量填入了件数栏。修改方法：填写非负的件数。",
        "国办公开办函〔2021〕30号表二、表三、表四（各格为件数、数量或金额）",
    ),
    rule(
        "VALUE-NOT-INTEGER",
        Error,
        "件数为小数",
        "件数（申请件数、文件件数、处理决定数量、案件数）必须是整数；只有收费金额、采购总金额可以有小数。小数通常是把金额或百分比填进了件数栏。修改方法：填写整数件数。",
        "国办公开办函〔2021〕30号表二、表三、表四（各格为件数、数量或金额）",
    ),
    rule(
        "VALUE-TEXT",
        Warning,
        "单元格填写了非数字内容",
        "单元格中填写了“/”“-”“无”等文字而不是数字。检查不把这些文字当作 0，涉及它们的表内关系报告为无法核验（UNVERIFIABLE）。没有发生的事项应填 0。修改方法：把文字改为数字。",
        "国办公开办函〔2021〕30号（表格各格填数字，没有发生的事项填 0）",
    ),
    rule(
        "VALUE-BLANK",
        Warning,
        "单元格空白",
        "表格中有空白单元格（每个表格行报告一次，列出该行所有空白单元格）。空白不等于 0：检查不替报告补上 0，涉及空白单元格的表内关系报告为无法核验（UNVERIFIABLE）。修改方法：没有发生的事项填写 0。",
        "国办公开办函〔2021〕30号（表格各格填数字，没有发生的事项填 0）",
    ),
    rule(
        "VALUE-FEE-UNIT",
        Warning,
        "收费金额单位疑似为元",
        "2021 年格式表二“本年收费金额”的单位是万元。单元格写有“元”（而不是“万元”），或为不小于 100000 的整数（即 10 亿元以上）时，金额很可能是按元填写的。修改方法：换算为万元，可保留小数。",
        "国办公开办函〔2021〕30号表二“本年收费金额（单位：万元）”",
    ),
    // ---------------------------------------------------------------- structure and format
    rule(
        "STRUCT-PARTS",
        Error,
        "缺少法定部分",
        "年度报告应包括六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。缺少任何一部分都是内容缺失（“不能遗漏”）。也可能是标题措辞差异过大而未能识别。修改方法：补齐缺少的部分，标题按格式书写。",
        "《条例》第五十条；国办公开办函〔2021〕30号",
    ),
    rule(
        "STRUCT-ORDER",
        Warning,
        "各部分顺序不对",
        "六个部分应按一至六的顺序排列。顺序颠倒不影响数字，但不符合统一格式，也妨碍对照阅读。修改方法：按格式顺序调整。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "STRUCT-NUMBERING",
        Warning,
        "部分标题编号不规范",
        "六个部分的标题应以“一、”至“六、”编号，且编号与该部分的法定序号一致。常见问题：写成“5、”“（五）”，未编号，或把前面增加的标题计入编号（把“主动公开政府信息情况”编为“一、”）。修改方法：按格式编号。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "STRUCT-TABLE-MISSING",
        Error,
        "缺少统计表格",
        "报告中没有读到表二、表三或表四的任何数据。可能是表格缺失，也可能是以图片形式发布、无法读取。三张表是统一格式的必备内容，以图片发布时公众和检查都无法核对数字。修改方法：以文字表格（而非图片）发布全部三张表。读取器已报告同一缺失（READ-TABLE-MISSING）时本规则不再重复。",
        "《条例》第五十条；国办公开办函〔2021〕30号",
    ),
    rule(
        "FORMAT-YEAR",
        Error,
        "表格格式与报告年度不符",
        "2021 年及以后的年度报告应使用国办公开办函〔2021〕30号格式，2019、2020 年度报告使用国办公开办函〔2019〕60号试行格式。2021 年后的报告出现“本年新制作数量”“上一年项目数量”“本年增/减”“政府集中采购”等旧版栏目，即“使用旧版格式”；反之亦然。修改方法：按报告年度适用的格式重新制表。",
        "国办公开办函〔2021〕30号；国办公开办函〔2019〕60号",
    ),
    rule(
        "FORMAT-SELF-MODIFIED",
        Warning,
        "表三（六）其他处理未按格式分列",
        "2021 年格式表三“（六）其他处理”分为三行：1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请；2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请；3.其他。报告只印了旧版的单行“（六）其他处理”，属于自行修改表格。检查按该单行核对总计，但无法区分三种情形。修改方法：按 2021 年格式分三行填写。",
        "国办公开办函〔2021〕30号",
    ),
    rule(
        "PART1-ACCOUNTABILITY",
        Warning,
        "政府年报未说明考核、评议和责任追究",
        "各级人民政府的年度报告，第一部分“总体情况”的监督保障内容应包括工作考核、社会评议和责任追究结果情况。报告主体名称以“人民政府”结尾、但第一部分没有出现“考核”“评议”“责任追究”时提示。修改方法：补写工作考核、社会评议和责任追究结果。",
        "《条例》第五十条第（四）项；国办公开办函〔2021〕30号",
    ),
    rule(
        "PART6-FEES",
        Warning,
        "第六部分未说明信息处理费",
        "2021 年及以后的报告，第六部分应说明是否依据《政府信息公开信息处理费管理办法》收取信息处理费，以及收取的件数和金额（没有收取的也应写明“未收取信息处理费”）。修改方法：在第六部分补写收费情况。",
        "国办函〔2020〕109号；国办公开办函〔2021〕30号",
    ),
    rule(
        "PART6-KEY-POINTS",
        Warning,
        "第六部分未说明落实政务公开工作要点情况",
        "2021 年及以后的报告，第六部分应说明本机关落实上级年度政务公开工作要点的情况。修改方法：在第六部分补写工作要点落实情况。",
        "国办公开办函〔2021〕30号（据二手转述）",
    ),
    rule(
        "PART6-PROPOSALS",
        Warning,
        "第六部分未说明建议提案办理结果公开情况",
        "2021 年及以后的报告，第六部分应说明人大代表建议和政协提案办理结果公开情况（没有承办的也应写明）。修改方法：在第六部分补写建议提案办理结果公开情况。",
        "国办公开办函〔2021〕30号（据二手转述）",
    ),
    // ---------------------------------------------------------------- dates
    rule(
        "DATE-YEAR-MISMATCH",
        Error,
        "年度不一致",
        "标题中的年度、正文所述统计期限的年度、第一部分开头所述年度应当一致（统计期限为该年 1 月 1 日至 12 月 31 日）。不一致多是套用往年模板未改全。修改方法：统一改为报告年度。",
        "《条例》第四十九条",
    ),
    rule(
        "DATE-PUBLISHED-MISSING",
        Warning,
        "未印发布日期",
        "报告末尾没有印出发布（成文）日期，无法从报告本身判断是否按期发布。修改方法：在报告末尾注明日期。",
        "《条例》第四十九条",
    ),
    rule(
        "DATE-LATE",
        Warning,
        "发布日期晚于法定期限",
        "县级以上人民政府部门应在每年 1 月 31 日前公布本部门上一年度报告，县级以上地方人民政府（主管部门）应在每年 3 月 31 日前公布本级政府上一年度报告（2019 年度以前的报告适用原《条例》的 3 月 31 日）。报告主体名称以“人民政府”结尾时按本级政府处理；乡镇、街道的期限由地方规定，不作判断。修改方法：按期发布；日期印错的更正日期。",
        "《条例》第四十九条（2019 年修订）；原《条例》第三十一条",
    ),
    rule(
        "DATE-PUBLISHED-BEFORE-YEAR-END",
        Error,
        "发布日期早于统计年度结束",
        "年度报告统计的是全年（1 月 1 日至 12 月 31 日）的情况，应在次年发布。发布日期在报告年度之内，说明日期或年度有误。修改方法：更正发布日期或报告年度。",
        "《条例》第四十九条",
    ),
    // ---------------------------------------------------------------- narrative
    rule(
        "TEXT-RECEIVED",
        Warning,
        "正文所述收到申请数与表三不一致",
        "正文（第一、三、四部分）中“收到/新收/受理……申请 N 件”所述件数，应等于表三“一、本年新收政府信息公开申请数量”的总计（按受理含上年结转口径，等于一与二之和也视为一致）。只识别关键词与数字之间没有其他内容的明确说法。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表三（正文与表格应一致）",
    ),
    rule(
        "TEXT-WORKLOAD",
        Warning,
        "正文所述办理申请数与表三不一致",
        "正文中“共办理……申请 N 件”所述的本年办理量，应等于表三“一、本年新收政府信息公开申请数量”与“二、上年结转政府信息公开申请数量”的总计之和（表三勾稽关系：一 + 二 = （七）总计 + 四）。也有报告用“办理”指本年新收或已办结的件数，因此等于“一”或“（七）总计”也视为一致；“结转下年度继续办理 N 件”“按时办理”不在此列。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表三表头注“第一项加第二项之和，等于第三项加第四项之和”",
    ),
    rule(
        "TEXT-CARRIED-OVER",
        Warning,
        "正文所述上年结转数与表三不一致",
        "正文中“上年结转……N 件”所述件数，应等于表三“二、上年结转政府信息公开申请数量”的总计。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表三（正文与表格应一致）",
    ),
    rule(
        "TEXT-HANDLED",
        Warning,
        "正文所述办结（答复）数与表三不一致",
        "正文中“办结/答复/办理完成……N 件”（前面没有“公开”“不予”“逾期”等限定某一种结果的词）所述件数，应等于表三“（七）总计”的总计；“按时办结 N 件”在同一句没有提到逾期办结时也按全部办结核对。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表三（正文与表格应一致）",
    ),
    rule(
        "TEXT-CARRIED-FORWARD",
        Warning,
        "正文所述结转下年度数与表三不一致",
        "正文中“结转下年度/结转至下一年度/结转至次年（或下一年的年份）/顺延到下年度/转下一年度……N 件”所述件数，以及同一句先写各项办理结果、再写“结转 N 件”的件数，应等于表三“四、结转下年度继续办理”的总计。“（含结转 N 件）”这类可能指上年结转的说法不核对。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表三（正文与表格应一致）",
    ),
    rule(
        "TEXT-REVIEW",
        Warning,
        "正文所述行政复议数与表四不一致",
        "正文中“行政复议 N 件”所述件数，应等于表四“行政复议”的总计。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表四（正文与表格应一致）",
    ),
    rule(
        "TEXT-LITIGATION",
        Warning,
        "正文所述行政诉讼数与表四不一致",
        "正文中“行政诉讼 N 件”所述件数，应等于表四“未经复议直接起诉”与“复议后起诉”两组总计之和。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表四（正文与表格应一致）",
    ),
    rule(
        "TEXT-FEE-NOTICE",
        Warning,
        "表三有逾期未缴费申请，第六部分未说明收费通知",
        "表三“（六）其他处理·2.申请人逾期未按收费通知要求缴纳费用”不为 0，说明本年发出过信息处理费收费通知；第六部分的信息处理费说明应提到收费通知、缴费或收费情况（如“发出收费通知 N 件”“收取信息处理费 N 元”“未收取任何费用”）。（未收取信息处理费与该行不为 0 并不矛盾：通知发出后申请人未缴费。）修改方法：在第六部分说明收费通知的件数和缴费情况。",
        "国办函〔2020〕109号",
    ),
    rule(
        "TEXT-NONE-RECEIVED",
        Warning,
        "正文称未收到申请，表三却有新收申请",
        "正文称“未收到……申请”，但表三“一、本年新收政府信息公开申请数量”不为 0。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表三（正文与表格应一致）",
    ),
    rule(
        "TEXT-NO-APPEALS",
        Warning,
        "正文称未发生复议诉讼，表四却有案件",
        "正文称“未发生（没有、无）……行政复议/行政诉讼”，但表四相应的总计不为 0。只说“未被纠错”等结果的句子不在此列。修改方法：统一正文与表格。",
        "国办公开办函〔2021〕30号表四（正文与表格应一致）",
    ),
    rule(
        "TEXT-ALL-HANDLED",
        Warning,
        "正文称申请已全部办结，表三却有结转",
        "正文称申请“均已办结/全部办理完成”，但表三“四、结转下年度继续办理”不为 0。修改方法：统一正文与表格，写明结转下年度的件数。",
        "国办公开办函〔2021〕30号表三（正文与表格应一致）",
    ),
    rule(
        "TEXT-SUBTOTALS",
        Warning,
        "正文所列分项之和与所述合计不符",
        "正文中“N 条（件），分别为：A a 条；B b 条；……”或“N 条，其中：A a 条；……；其他 c 条”这类声称完整的列举，各分项之和应等于所述合计 N。只在列举声称完整（写明“分别为”，或以“其他”“其余”一项收尾）、每个分项都恰好有一个同单位的数字时核对；“其中，予以公开 12 件”“其中包括……”这类只列出部分分项的说法不核对。修改方法：核对分项与合计。",
        "国办公开办函〔2021〕30号表三（正文与表格应一致）",
    ),
    // ---------------------------------------------------------------- across years
    series(
        "CROSS-CARRY-OVER",
        Error,
        "上年结转与上年度报告的结转下年度不衔接",
        "同一机关相邻两年的报告中，本年表三“二、上年结转政府信息公开申请数量”每一列应等于上一年度报告表三“四、结转下年度继续办理”的同一列。这是最常见的真实缺陷。只有机构调整、统计范围变化等有说明的情况才可能不同。修改方法：核对上年度结转的申请。",
        "国办公开办函〔2021〕30号表三“二、上年结转政府信息公开申请数量”与上年度“四、结转下年度继续办理”",
    ),
    series(
        "CROSS-STOCK",
        Warning,
        "现行有效件数与上年度不衔接",
        "2021 年格式：规章、行政规范性文件的现行有效件数，一般应约等于上年度现行有效件数 + 本年制发件数 − 本年废止件数。清理、重新统计、自然失效等可能造成合理差异，因此只提示差额，不作为错误。",
        "国办公开办函〔2021〕30号表二“现行有效件数”",
    ),
    series(
        "CROSS-REPEALED-BOUND",
        Warning,
        "本年废止件数超过可废止的文件数",
        "2021 年格式：规章、行政规范性文件的本年废止件数，不应大于上年度现行有效件数与本年制发件数之和。修改方法：核对废止文件清单。",
        "国办公开办函〔2021〕30号表二“本年废止件数”“现行有效件数”",
    ),
    series(
        "CROSS-2019-ITEMS",
        Warning,
        "上一年项目数量与上年度报告不衔接",
        "2019 年试行格式：本年表二的“上一年项目数量”应等于上一年度报告的“上一年项目数量”加“本年增/减”。修改方法：核对事项清单。",
        "国办公开办函〔2019〕60号表二",
    ),
    series(
        "CROSS-PENDING",
        Info,
        "上年度有尚未审结的复议诉讼",
        "上一年度报告表四有尚未审结的行政复议或行政诉讼。是否在本年重复统计没有统一规定，这里只把上年度的尚未审结数列出，供对照本年的表四。",
        "国办公开办函〔2021〕30号表四",
    ),
    series(
        "CROSS-FEE-UNIT",
        Warning,
        "收费金额恰为上年度的一万倍",
        "2021 年格式表二“本年收费金额”恰好是上一年度的 10000 倍，很可能其中一年按元而不是万元填写。修改方法：统一以万元填写。",
        "国办公开办函〔2021〕30号表二“本年收费金额（单位：万元）”",
    ),
    series(
        "CROSS-COPIED-TEXT",
        Warning,
        "正文与上年度报告高度雷同",
        "第一部分“总体情况”或第五部分“存在的主要问题及改进情况”与同一机关上一年度报告的同一部分高度相同（去掉空白和数字后按 5 字片段计算的 Jaccard 相似度不低于 80%）。照搬往年内容是 30号文件点名的“内容雷同”。修改方法：如实写本年度的工作、问题和整改情况。",
        "国办公开办函〔2021〕30号（内容雷同、敷衍塞责的责任追究）",
    ),
    series(
        "CROSS-SAME-TABLES",
        Warning,
        "表格数据与上年度完全相同",
        "本年三张表中所有非零数字（至少 3 个）与同一机关上一年度报告完全相同。连续两年数据一字不差的可能性极小，通常是照搬往年数据。修改方法：按本年度实际情况重新统计。",
        "国办公开办函〔2021〕30号",
    ),
    series(
        "CROSS-DUPLICATE",
        Info,
        "同一机关同一年度的报告出现多次",
        "输入中有两份报告属于同一机关、同一年度（如同一份报告的文本版和 PDF 版，或同一报告给了两次）。跨年度核对对每个机关的每个年度只做一次，使用先读到的那一份；后读到的报告记下本提示，写明与哪一份重复、两份的表格数字是否相同。两份报告数字不同时，说明报告发布后有改动或有多个版本，请核实哪一份是正式版本。",
        "《条例》第四十九条",
    ),
];

/// The rule with identifier `id`.
pub fn rule_by_id(id: &str) -> Option<&'static RuleDef> {
    xxgk_model::find_rule(RULES, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_screaming_kebab() {
        let mut seen = HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(
                !r.id.starts_with("READ-"),
                "READ- is the readers' prefix: {}",
                r.id
            );
            let ok = r.id.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }) && r.id.starts_with(|c: char| c.is_ascii_uppercase());
            assert!(ok, "not SCREAMING-KEBAB: {}", r.id);
        }
    }

    #[test]
    fn every_rule_is_documented() {
        for r in RULES {
            assert!(!r.title.is_empty(), "{} has no title", r.id);
            assert!(
                r.explanation.chars().count() >= 40,
                "{} has no real explanation",
                r.id
            );
            assert!(!r.reference.is_empty(), "{} has no reference", r.id);
            let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            assert!(
                cjk(r.title) && cjk(r.explanation),
                "{} is not in Chinese",
                r.id
            );
        }
    }

    #[test]
    fn lookup_by_id() {
        assert_eq!(
            rule_by_id("T3-BALANCE").map(|r| r.severity),
            Some(Severity::Error)
        );
        assert!(rule_by_id("NO-SUCH-RULE").is_none());
        assert!(rule_by_id("CROSS-CARRY-OVER").is_some_and(|r| r.series));
        assert!(rule_by_id("T3-BALANCE").is_some_and(|r| !r.series));
    }

    /// Every rule identifier that appears as a string literal in the checks is in the catalogue,
    /// and every catalogue rule is emitted by some check (no dead rules).
    #[test]
    fn ids_used_by_the_checks_exist_and_every_rule_is_used() {
        let sources = [
            include_str!("tables.rs"),
            include_str!("values.rs"),
            include_str!("structure.rs"),
            include_str!("dates.rs"),
            include_str!("narrative.rs"),
            include_str!("series.rs"),
            include_str!("emit.rs"),
            include_str!("lib.rs"),
        ];
        let mut used = HashSet::new();
        for src in sources {
            // Only the code before the module's tests.
            let code = src.split("#[cfg(test)]").next().unwrap_or(src);
            for lit in code.split('"').skip(1).step_by(2) {
                let looks_like_id = lit.len() >= 5
                    && lit
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
                    && lit.starts_with(|c: char| c.is_ascii_uppercase());
                if looks_like_id && !lit.starts_with("READ-") {
                    used.insert(lit);
                }
            }
        }
        for id in &used {
            assert!(rule_by_id(id).is_some(), "check uses unknown rule {id}");
        }
        for r in RULES {
            assert!(used.contains(r.id), "rule {} is emitted by no check", r.id);
        }
    }
}
