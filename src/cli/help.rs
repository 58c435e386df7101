//! Help texts of the command line, apart from the definitions they describe
//! (as ripgrep keeps them): every text a user reads is Chinese, and each
//! command's help ends with an example.

pub(super) const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

pub(super) const GXGEN_ABOUT: &str = "gxgen：政府信息公开工作年度报告编译器\n\n用一个 YAML 数据文件和几段 markdown 正文写年度报告；gxgen 按国家统一格式\n（国办公开办函〔2019〕60号、〔2021〕30号）校验表格数据和勾稽关系，\n再排版出网页（HTML）和 PDF，两者与数据逐字一致。";

pub(super) const GXGEN_AFTER_HELP: &str = "示例：\n  gxgen new --year 2024 --agency 某某县某某局     生成一份报告骨架\n  gxgen new --year 2024 --agency 某某县某某局 --xlsx  数据用工作簿（Excel/WPS）填写\n  gxgen check 某某县某某局-2024/report.yaml      校验数据\n  gxgen build 某某县某某局-2024/report.yaml      校验并生成网页和 PDF\n  gxgen serve 某某县某某局-2024                  在浏览器中预览，保存后自动刷新\n  gxgen fonts                                     查看 PDF 用到的字体\n  gxgen schema --year 2024 -o report.schema.json  写出编辑器自动补全用的 schema\n  gxgen explain GX0301                            查看某个诊断代码的说明\n\n每个命令的详细用法：gxgen <命令> --help";

pub(super) const CHECK_LONG_ABOUT: &str = "校验一份或多份报告的数据文件（report.yaml）及其引用的正文文件（.md、.txt，或 Word 的 .docx）。\n\n检查内容：YAML 语法、未知或写错的键、每个单元格的数值类型、每行合计、（七）总计、\n“第一项加第二项之和等于第三项加第四项之和”的勾稽关系、行政复议和行政诉讼的总计、\n年度与格式是否相符、各部分是否齐全、2021 格式第六部分的信息处理费情况、发布期限、\n正文中写出的件数与表格是否一致（表三各项及小计、表四、表二，含汉字数字和“均获维持”之类的说法）、正文中列表、引用、加粗等的套叠不超过 10 层、与上年报告是否衔接等。\n一格填错只报这一格一个错误；输入法的全角逗号、冒号等能确定本意的照本意读取并给出警告（见用户手册“常见错误”）。\n给出工作区文件夹（含 gxgen.yaml）时，按工作区的共同设置检查其中每个单位（含表格中的每一行），不生成任何文件。\n报告工作簿（report.xlsx）和 Word 正文的诊断，消息下面的位置行写工作表和单元格（report.xlsx 三、收到和处理政府信息公开申请情况!E12）\n或第几段（总体情况.docx 第 3 段）；--format json 的每条诊断中同样写在 place 中。\n\n退出状态：0 没有错误；1 发现错误（或在 --deny warnings 时发现警告）；2 参数或读取文件失败。";

pub(super) const CHECK_AFTER_HELP: &str = "示例：\n  gxgen check report.yaml\n  gxgen check examples/*/report.yaml\n  gxgen check 某某县2024                   检查整个工作区的每个单位\n  gxgen check report.yaml --format json > 诊断.json\n  gxgen check report.yaml --deny warnings      警告也算不通过（适合上级审核）\n  gxgen check 某某局-2024/report.xlsx         检查报告工作簿（gxgen new --xlsx 生成的）";

pub(super) const BUILD_LONG_ABOUT: &str = "先做与 gxgen check 相同的全部校验：有错误就不生成，警告照常显示。\n然后把正文中的 {{ … }} 换成表格中的数据，按国家统一格式排出六个部分和三张表，\n写出一个可以直接发布的网页：UTF-8、无脚本、不引用任何外部资源，表格与官方格式逐格一致，\n每个数据单元格带有它的键（data-key），页面内嵌全部数据（JSON），便于汇总程序精确读取；\n网页在电脑上表格按需要的宽度显示，在手机上表格可左右滑动、行标题固定在左侧，打印为 A4 并带页码。\n再用内置的 typst 排版出 PDF：按党政机关公文格式（GB/T 9704）的用字和版式（每行28字、每页22行的字符网格，行尾放不下的点号悬挂在版心外，不挤压），与网页逐字一致，\n并把与网页相同的报告数据作为附件 gxgen-data.json 嵌入 PDF（--pdf-standard a-3b 生成带数据的 PDF/A-3b 归档文件）。\n写 PDF 之前逐字检查字形，缺字时报错而不是印出空框。\n还写出一个 Word 文件（.docx）：版式与 PDF 相同（A4、每页22行每行28字、小标宋标题、仿宋正文），\n段落用“正文”“一级标题”“表格文字”“落款”等样式，Word 和 WPS 中可按样式统一修改；表格合并单元格与网页一致。\n\n输出文件名由年度和机关全称组成（去掉看不见的控制字符），例如 out/2024-某某县某某局.html、.pdf 和 .docx；同样的输入总是得到完全相同的文件。\nPDF 的日期取自 meta.publish_date；数据文件没有写发布日期时，才用环境变量 SOURCE_DATE_EPOCH。\n模板可以覆盖：报告文件夹下的 templates/，或 --templates 指定的文件夹，放入同名的\nreport.html、table.html、style.css（网页）或 report.typ（PDF）即可。\n\n生成工作区时还写出 out/index.html（目录：各单位的状态、错误/警告/提示数、主要数字及比上年的增减、\n两张图，可排序、查找，不联网）和 out/问题清单.html（每个单位的每条问题：代码、说明、文件:行）。";

pub(super) const BUILD_AFTER_HELP: &str = "示例：\n  gxgen build report.yaml                 输出到 report.yaml 旁边的 out/\n  gxgen build report.yaml --only pdf       只生成 PDF\n  gxgen build report.yaml --only html,docx 只生成网页和 Word 文件\n  gxgen build report.yaml --emit typst     只写出 typst 排版输入（report.typ 和 document.json）\n  gxgen build report.yaml --font-path 字体  另外使用“字体”文件夹中的字体\n  gxgen build report.yaml -o 发布          输出到“发布”文件夹\n  gxgen build examples/*/report.yaml -o out\n  gxgen build report.yaml --templates 我的模板\n  gxgen build 某某县2024                   生成整个工作区（含 gxgen.yaml 的文件夹）\n  gxgen build 某某局-2024                  报告文件夹：其中的 report.yaml，没有时用 report.xlsx";

pub(super) const NEW_LONG_ABOUT: &str = "按年度适用的国家统一格式生成一份完整的报告骨架：report.yaml（每个键后注明官方表格中的名称）\n和三个正文文件 overview.md、problems.md、other.md，以及编辑器自动补全用的 report.schema.json\n（report.yaml 第一行指向它，见 gxgen schema --help）。生成的文件可以直接通过 gxgen check，\n正文中“【待填写】”的地方会给出警告，提醒替换为实际内容。\n\n加 --xlsx 时不写 report.yaml，改为写一个报告工作簿 report.xlsx，在 Excel 或 WPS 中填数：\n工作表“基本信息”填机关全称、发布日期等，每张法定表格一张工作表，排法与官方表格完全相同\n（表名、合并的表头、竖排的“三、本年度办理结果”、官方行名列名）。只有浅黄色的填数单元格可以改\n（工作表有保护，没有密码），填错类型时 Excel/WPS 当场提示；灰色的合计是公式，随填随算。\ngxgen check、gxgen build 直接读这个工作簿（给出 report.xlsx 或它所在的文件夹），合计按数据重新计算，\n不采用工作簿保存的计算结果；每条诊断写明工作表和单元格，例如“三、收到和处理政府信息公开申请情况!E12”。";

pub(super) const NEW_AFTER_HELP: &str = "示例：\n  gxgen new --year 2024 --agency 某某县某某局\n  gxgen new --year 2024 --agency 某某县人民政府 --kind government 报告/2024\n  gxgen new --year 2024 --agency 某某县某某局 --xlsx     数据写成工作簿 report.xlsx，用 Excel/WPS 填";

pub(super) const FONTS_LONG_ABOUT: &str = "PDF 按公文习惯用字：标题用小标宋，正文用仿宋，一级标题用黑体，二级标题用楷体，表格和页码用宋体。\n每种用途有一串候选字体，gxgen 选用本机已安装的第一个。这个命令列出每种用途选中的字体，\n以及缺少中文字体的用途。系统字体每次运行只扫描一次。\n扫描的结果记在本机的缓存文件夹（Linux：~/.cache/gxgen/fonts，Windows：AppData\\Local\\gxgen\\fonts，\nmacOS：~/Library/Caches/gxgen/fonts）：字体文件没有变化时下次直接读取，不再逐个打开字体文件；\n装上或删掉字体后下次运行就能看到。缓存文件损坏或无法写入时照常扫描，不会出错，也可以随时删除。";

pub(super) const FONTS_AFTER_HELP: &str = "示例：\n  gxgen fonts\n  gxgen fonts --font-path 字体\n  gxgen fonts --all";

pub(super) const TEMPLATE_LONG_ABOUT: &str = "县级政务公开办常用一张表收集各单位的数据。这个命令生成这样一张空表：第一行是表头，\n依次为机关全称、机关类型、发布日期和该年度格式的每一个单元格（用官方名称路径命名），\n每个单位填一行。在工作区的 gxgen.yaml 中用 agencies: [各单位.xlsx] 引用它，gxgen build 就为每一行生成一份报告。";

pub(super) const TEMPLATE_AFTER_HELP: &str =
    "示例：\n  gxgen template xlsx --year 2024 -o 各单位数据.xlsx\n  gxgen template csv --year 2024 -o 各单位数据.csv";

pub(super) const IMPORT_LONG_ABOUT: &str = "读入已发布的年度报告：从网页或 Word 复制、粘贴保存的文本，从网站另存的网页（.html），\n或 Word 文件（.docx）；UTF-8 或 GBK 编码都可以。找出标题、六个部分和三张表，\n按官方表格的名称逐格对应，写成 report.yaml 和正文 .md 文件。不是原样对上的地方\n（修正的表格名称、空白格、推定的数、缺少的表格或部分）逐条列出，绝不悄悄当作 0。\ngxgen 生成的 PDF 从其中嵌入的报告数据（gxgen-data.json）原样读回全部数字（正文不导入）；\n其他 PDF 目前不能读，请导入同一份报告的网页或 .docx。\n读入后用 gxgen check 检查。加 --xlsx 时数据写成报告工作簿 report.xlsx（与 gxgen new --xlsx 的相同），\n便于在 Excel/WPS 中修改。";

pub(super) const IMPORT_AFTER_HELP: &str = "示例：\n  gxgen import 2023年报告.txt -o 某某局-2023\n  gxgen import 2023年报告.html -o 某某局-2023\n  gxgen import 2023年报告.docx -o 某某局-2023 --format json\n  gxgen import 2024-某某局.pdf -o 某某局-2024      gxgen 生成的 PDF\n  gxgen import 报告.txt -o 某某局-2023 --agency 某某县某某局\n  gxgen import 2023年报告.docx -o 某某局-2023 --xlsx     数据写成工作簿";

pub(super) const AUDIT_LONG_ABOUT: &str = "对每份已发布的报告（复制的文本、另存的网页或 .docx，与 gxgen import 相同）先读入，再按国家统一格式检查：\n已公布的数字不符合的算术规则、与官方格式不同的表格名称、与年度不符的格式、缺少的部分或行、\n2021 格式第六部分缺少信息处理费说明、正文中与表格矛盾的数字（措辞能明确对应时），以及值得一看的提示。\n空白单元格按 0 核对算术并按表汇总成一条；原文被截断、缺表缺行时，无法核对的规则按表汇总成一条。\n一份报告给人看的结果；审核多份报告时用 --format csv 得到一张表：报告、规则、级别、表格、行、列、公布值、应为、原文行号\n（以 = + - @ 开头的单元格前加一个英文单引号，Excel、WPS 不会把它当公式）；--format html -o 审核.html 写出给审核人看的一页网页：\n每份报告一行的总表（错误、警告、无法核对、主要问题），再按报告、按表格列出全部发现。\n每份输入文件不得超过 16 MiB（与 gxgen import 相同）。有报告存在错误时退出状态为 1。";

pub(super) const AUDIT_AFTER_HELP: &str = "示例：\n  gxgen audit 各单位/*.txt\n  gxgen audit 各单位/*.txt --format csv > 审核结果.csv\n  gxgen audit 各单位/*.html --format html -o 审核.html";

pub(super) const SERVE_LONG_ABOUT: &str = "在本机启动一个预览：先像 gxgen build 一样生成报告，然后在浏览器中打开屏幕上显示的地址\n（例如 http://127.0.0.1:8765/），左边是报告网页，右边是检查结果：每一条写明文件和行号\n（Word 正文写第几段，单元格写官方表格中的名称），点代码跳到网页中的那一部分；上方有 PDF 和 Word 文件的链接。\n之后每次保存任何输入文件（report.yaml、表格、.md、.docx、页面模板），一秒之内重新生成，浏览器自动刷新。\n有错误时不重新生成，左边仍是上次生成的版本，右边列出错误。给出工作区时显示目录页和各单位的检查结果。\n\n只在本机 127.0.0.1 上监听，别的电脑访问不到；只提供生成的文件（out/ 中的网页、PDF、Word 文件），\n不提供报告文件夹中的其他文件，也不提供文件夹以外的任何文件。生成的网页本身仍然没有脚本，\n自动刷新只在预览页中。不联网。按 Ctrl+C 停止（正在生成的文件会写完）。";

pub(super) const SERVE_AFTER_HELP: &str = "示例：\n  gxgen serve 某某县某某局-2024              预览一份报告\n  gxgen serve 某某县某某局-2024/report.yaml --port 9000\n  gxgen serve 某某县2024                     预览整个工作区\n  gxgen serve --port 0                       任选一个空闲端口";

pub(super) const SCHEMA_LONG_ABOUT: &str = "写出一份 JSON Schema（draft-07）：数据文件 report.yaml 中可以写的每一个键，它在官方表格中的名称，\n每个单元格的类型和范围（件数为非负整数、本年增/减可为负数、金额及其单位）、正文各部分和 meta 基本信息。\nVS Code 装上 YAML 扩展（Red Hat）后，report.yaml 第一行写\n  # yaml-language-server: $schema=./report.schema.json\n就能自动补全键、悬停显示官方名称、当场标出写错的键和负数。gxgen new 已经写好这个文件和这一行。\n--workspace 写出工作区 gxgen.yaml 的 schema。全部取自 templates/tables/ 中的格式文件，不联网。";

pub(super) const SCHEMA_AFTER_HELP: &str = "示例：\n  gxgen schema --year 2024 -o report.schema.json\n  gxgen schema --workspace -o gxgen.schema.json\n  gxgen schema --workspace --year 2024";

pub(super) const EXPLAIN_AFTER_HELP: &str =
    "示例：\n  gxgen explain GX0301      也可以写 gx0301、0301\n  gxgen explain";
