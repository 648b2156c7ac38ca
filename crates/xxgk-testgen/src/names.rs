//! Realistic agency names: a place (province, city, county, district, development zone,
//! township) combined with a body that exists at that level, one name per seed (see [`agency`]).

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

/// The agency name of `seed`, as it would be printed in a report title. `abbreviated` prints
/// the department's abbreviation ("住建局") where it has one.
///
/// Names are a bijection of `seed mod` [`NAME_SPACE`]: any [`NAME_SPACE`] consecutive seeds give
/// pairwise different agencies, so generated reports checked together never look like one
/// agency's reports of consecutive years (whose carry-overs would have to match). Each name
/// is a place (province; city; county or district under its city; development zone; township
/// under its county and city) with a body that exists at that level.
pub(crate) fn agency(seed: u64, abbreviated: bool) -> String {
    // A fixed prime larger than the space, hence coprime with it: `i ↦ i · STRIDE mod M` is a
    // permutation that sends consecutive seeds to far-apart names.
    const STRIDE: u64 = 1_000_003;
    let i = (u128::from(seed % NAME_SPACE) * u128::from(STRIDE) % u128::from(NAME_SPACE)) as usize;
    let dept = |k: usize| -> &'static str {
        let full = DEPARTMENTS[k % DEPARTMENTS.len()];
        if abbreviated {
            abbreviation(full).unwrap_or(full)
        } else {
            full
        }
    };
    let mut i = i;
    for kind in Kind::ALL {
        let size = kind.size();
        if i >= size {
            i -= size;
            continue;
        }
        return match kind {
            Kind::Provincial => {
                let (p, d) = split(i, PROVINCES.len());
                format!(
                    "{}{}",
                    PROVINCES[p],
                    PROVINCIAL_DEPARTMENTS[d % PROVINCIAL_DEPARTMENTS.len()]
                )
            }
            Kind::City => {
                let (c, d) = split(i, CITIES.len());
                format!("{}{}", CITIES[c], dept(d))
            }
            Kind::County | Kind::District => {
                let list = if kind == Kind::County {
                    COUNTIES
                } else {
                    DISTRICTS
                };
                let (c, rest) = split(i, CITIES.len());
                let (k, d) = split(rest, list.len());
                format!("{}{}{}", CITIES[c], list[k], dept(d))
            }
            Kind::Zone => {
                let (z, d) = split(i, ZONES.len());
                format!("{}{}", ZONES[z], dept(d))
            }
            Kind::Town => {
                let (c, rest) = split(i, CITIES.len());
                let (k, t) = split(rest, COUNTIES.len());
                let town = TOWNS[t % TOWNS.len()];
                let body = if town.ends_with("街道") {
                    "办事处"
                } else {
                    "人民政府"
                };
                format!("{}{}{}{}", CITIES[c], COUNTIES[k], town, body)
            }
            Kind::Government => {
                // A city's government, then its counties' and districts'.
                let (c, k) = split(i, CITIES.len());
                let place = match k.checked_sub(1) {
                    None => String::new(),
                    Some(k) if k < COUNTIES.len() => COUNTIES[k].to_string(),
                    Some(k) => DISTRICTS[(k - COUNTIES.len()) % DISTRICTS.len()].to_string(),
                };
                format!("{}{place}人民政府", CITIES[c])
            }
            Kind::CityBody => {
                let (c, b) = split(i, CITIES.len());
                format!("{}{}", CITIES[c], CITY_BODIES[b % CITY_BODIES.len()])
            }
        };
    }
    // Unreachable: the kinds' sizes add up to NAME_SPACE and i < NAME_SPACE.
    format!("{}{}", CITIES[0], DEPARTMENTS[0])
}

/// `(i mod n, i div n)`: the next digit of a mixed-radix number.
fn split(i: usize, n: usize) -> (usize, usize) {
    (i % n, i / n)
}

/// The abbreviation an agency prints for the department `full`, if it has one.
fn abbreviation(full: &str) -> Option<&'static str> {
    DEPARTMENTS_ABBREVIATED
        .iter()
        .copied()
        .find(|a| crate::expand_agency(a) == full)
}

/// The kinds of agency name, each a mixed-radix space of places and bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// 山东省教育厅
    Provincial,
    /// 潍坊市教育局
    City,
    /// 潍坊市昌乐县教育局
    County,
    /// 潍坊市奎文区教育局
    District,
    /// 济宁高新区教育局
    Zone,
    /// 潍坊市昌乐县营丘镇人民政府, 潍坊市昌乐县朱刘街道办事处
    Town,
    /// 潍坊市人民政府, 潍坊市昌乐县人民政府
    Government,
    /// 潍坊市住房公积金管理中心
    CityBody,
}

impl Kind {
    const ALL: [Kind; 8] = [
        Kind::Provincial,
        Kind::City,
        Kind::County,
        Kind::District,
        Kind::Zone,
        Kind::Town,
        Kind::Government,
        Kind::CityBody,
    ];

    const fn size(self) -> usize {
        match self {
            Kind::Provincial => PROVINCES.len() * PROVINCIAL_DEPARTMENTS.len(),
            Kind::City => CITIES.len() * DEPARTMENTS.len(),
            Kind::County => CITIES.len() * COUNTIES.len() * DEPARTMENTS.len(),
            Kind::District => CITIES.len() * DISTRICTS.len() * DEPARTMENTS.len(),
            Kind::Zone => ZONES.len() * DEPARTMENTS.len(),
            Kind::Town => CITIES.len() * COUNTIES.len() * TOWNS.len(),
            Kind::Government => CITIES.len() * (1 + COUNTIES.len() + DISTRICTS.len()),
            Kind::CityBody => CITIES.len() * CITY_BODIES.len(),
        }
    }
}

/// How many different agency names there are: any this many consecutive seeds get pairwise
/// different names (74,593 with the lists above).
pub(crate) const NAME_SPACE: u64 = {
    let mut n = 0;
    let mut k = 0;
    while k < Kind::ALL.len() {
        n += Kind::ALL[k].size();
        k += 1;
    }
    n as u64
};

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
    use std::collections::HashSet;

    #[test]
    fn names_have_no_digits_and_no_year_marker() {
        for seed in 0..2000 {
            let a = agency(seed, seed % 5 == 0);
            assert!(!a.chars().any(|c| c.is_ascii_digit()), "{a}");
            assert!(!a.contains('年'), "{a}");
            assert!(a.chars().count() >= 5, "{a}");
        }
    }

    /// Every name of the space is drawn exactly once by NAME_SPACE consecutive seeds (from 0 and
    /// from an arbitrary offset), abbreviated or not: abbreviations expand to distinct names.
    #[test]
    fn consecutive_seeds_give_distinct_agencies() {
        assert_eq!(NAME_SPACE, 74_593);
        for first in [0, 123_456_789_012] {
            let mut seen = HashSet::new();
            for seed in first..first + NAME_SPACE {
                let printed = agency(seed, seed % 3 == 0);
                let name = crate::expand_agency(&printed);
                assert!(seen.insert(name), "{printed} twice (seed {seed})");
            }
        }
    }

    #[test]
    fn every_kind_occurs_among_a_few_hundred_seeds() {
        let names: Vec<String> = (0..500).map(|s| agency(s, false)).collect();
        let count = |p: &dyn Fn(&str) -> bool| names.iter().filter(|n| p(n)).count();
        assert!(count(&|n| n.ends_with("人民政府")) >= 20);
        assert!(count(&|n| n.ends_with("办事处")) >= 10);
        assert!(count(&|n| n.contains('县') && n.ends_with('局')) >= 100);
        assert!(count(&|n| n.contains('区') && n.ends_with('局')) >= 50);
        let abbreviated = (0..500)
            .filter(|&s| agency(s, true) != agency(s, false))
            .count();
        assert!(abbreviated >= 20, "{abbreviated}");
    }
}
