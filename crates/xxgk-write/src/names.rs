//! Realistic agency names: a place (province, city, county, district, development zone,
//! township) combined with a body that exists at that level.

use crate::rng::Rng;

/// Provinces, with the suffix their departments use.
const PROVINCES: &[&str] = &[
    "山东省",
    "江苏省",
    "浙江省",
    "广东省",
    "湖北省",
    "湖南省",
    "河南省",
    "河北省",
    "四川省",
    "福建省",
    "安徽省",
    "江西省",
    "云南省",
    "贵州省",
    "陕西省",
    "甘肃省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "山西省",
];

const CITIES: &[&str] = &[
    "潍坊市",
    "淮安市",
    "济宁市",
    "广州市",
    "武汉市",
    "亳州市",
    "怀化市",
    "岳阳市",
    "南平市",
    "宿州市",
    "平顶山市",
    "开远市",
    "洛阳市",
    "绍兴市",
    "泉州市",
    "赣州市",
    "宜昌市",
    "常德市",
    "临沂市",
    "徐州市",
    "扬州市",
    "嘉兴市",
    "湛江市",
    "绵阳市",
    "遵义市",
    "曲靖市",
    "宝鸡市",
    "天水市",
    "鞍山市",
    "大同市",
];

const COUNTIES: &[&str] = &[
    "昌乐县",
    "大竹县",
    "石台县",
    "固镇县",
    "临朐县",
    "寿光市",
    "邹城市",
    "曲阜市",
    "涟水县",
    "盱眙县",
    "桐庐县",
    "德清县",
    "安溪县",
    "瑞金市",
    "枝江市",
    "桃源县",
    "沂水县",
    "沛县",
    "宝应县",
    "海盐县",
    "廉江市",
    "江油市",
    "仁怀市",
    "宣威市",
    "凤翔县",
    "秦安县",
    "海城市",
    "阳高县",
    "汝州市",
    "新安县",
];

const DISTRICTS: &[&str] = &[
    "卫东区",
    "黄埔区",
    "东湖区",
    "洪山区",
    "清江浦区",
    "任城区",
    "坊子区",
    "奎文区",
    "鼓楼区",
    "天心区",
    "金水区",
    "越城区",
    "丰泽区",
    "章贡区",
    "西陵区",
    "武陵区",
    "兰山区",
    "云龙区",
    "邗江区",
    "南湖区",
];

const ZONES: &[&str] = &[
    "济宁高新区",
    "广州开发区",
    "潍坊滨海经济技术开发区",
    "淮安经济技术开发区",
    "洛阳高新技术产业开发区",
    "绍兴滨海新区",
    "宜昌高新区",
];

const TOWNS: &[&str] = &[
    "大演乡",
    "朱刘街道",
    "五图街道",
    "营丘镇",
    "红河镇",
    "鄌郚镇",
    "宝都街道",
    "宝城街道",
    "桃花乡",
    "柳山镇",
    "城关镇",
    "新华街道",
    "东城街道",
    "西湖街道",
];

/// Departments of a municipal, county or district government ("局"-level bodies).
const DEPARTMENTS: &[&str] = &[
    "人民政府办公室",
    "发展和改革局",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "城市管理局",
    "行政审批服务局",
    "知识产权局",
    "知识产权保护中心",
    "知识产权事业发展中心",
    "科技创新局",
    "投资促进局",
    "信访局",
    "林业局",
    "机关事务服务中心",
    "大数据局",
    "卫生健康委员会",
    "发展和改革委员会",
    "民族宗教事务委员会",
];

/// Abbreviated department names, as agencies print them in their own titles.
const DEPARTMENTS_ABBREVIATED: &[&str] = &[
    "住建局",
    "人社局",
    "发改局",
    "工信局",
    "市场监管局",
    "卫健局",
    "卫健委",
    "发改委",
];

/// Departments of a provincial government.
const PROVINCIAL_DEPARTMENTS: &[&str] = &[
    "人民政府办公厅",
    "教育厅",
    "科学技术厅",
    "工业和信息化厅",
    "民政厅",
    "司法厅",
    "财政厅",
    "人力资源和社会保障厅",
    "自然资源厅",
    "生态环境厅",
    "住房和城乡建设厅",
    "交通运输厅",
    "水利厅",
    "农业农村厅",
    "商务厅",
    "文化和旅游厅",
    "卫生健康委员会",
    "市场监督管理局",
    "知识产权局",
    "统计局",
];

/// A random agency name as it would be printed in a report title. `abbreviated` picks an
/// abbreviated department ("住建局") where one exists.
pub(crate) fn agency(rng: &mut Rng, abbreviated: bool) -> String {
    let dept = |rng: &mut Rng| -> &'static str {
        if abbreviated {
            rng.pick(DEPARTMENTS_ABBREVIATED)
        } else {
            rng.pick(DEPARTMENTS)
        }
    };
    match rng.weighted(&[6, 20, 30, 14, 6, 10, 8, 6]) {
        0 => format!(
            "{}{}",
            rng.pick(PROVINCES),
            rng.pick(PROVINCIAL_DEPARTMENTS)
        ),
        1 => format!("{}{}", rng.pick(CITIES), dept(rng)),
        2 => format!("{}{}", rng.pick(COUNTIES), dept(rng)),
        3 => format!("{}{}", rng.pick(DISTRICTS), dept(rng)),
        4 => format!("{}{}", rng.pick(ZONES), dept(rng)),
        5 => {
            let town = rng.pick(TOWNS);
            let body = if town.ends_with("街道") {
                "办事处"
            } else {
                "人民政府"
            };
            format!("{}{}{}", rng.pick(COUNTIES), town, body)
        }
        6 => {
            let level = [CITIES, COUNTIES, DISTRICTS][rng.below(3) as usize];
            format!("{}人民政府", rng.pick(level))
        }
        _ => format!("{}{}", rng.pick(CITIES), rng.pick(CITY_BODIES)),
    }
}

/// Bodies of a city that are not government departments but publish reports all the same.
const CITY_BODIES: &[&str] = &[
    "住房公积金管理中心",
    "公共资源交易中心",
    "政务服务管理办公室",
    "城市管理综合执法局",
];

/// How the agency refers to itself in its narrative ("我局", "我委", …).
pub(crate) fn self_reference(agency: &str) -> &'static str {
    if agency.ends_with("人民政府") {
        "本级政府"
    } else if agency.ends_with("办事处") {
        "我街道"
    } else if agency.ends_with("办公室") || agency.ends_with("办公厅") {
        "我办"
    } else if agency.ends_with("委员会") || agency.ends_with('委') {
        "我委"
    } else if agency.ends_with("中心") {
        "我中心"
    } else if agency.ends_with('厅') {
        "我厅"
    } else if agency.ends_with('局') {
        "我局"
    } else {
        "我单位"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_no_digits_and_no_year_marker() {
        let mut rng = Rng::new(3);
        for i in 0..2000 {
            let a = agency(&mut rng, i % 5 == 0);
            assert!(!a.chars().any(|c| c.is_ascii_digit()), "{a}");
            assert!(!a.contains('年'), "{a}");
            assert!(a.chars().count() >= 5, "{a}");
        }
    }
}
