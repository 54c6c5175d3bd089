/**
 * Word lists for generated demo data. No real person's data: names are drawn from common
 * surnames and given names, phone numbers from public mobile prefixes with random digits.
 */

/** Common surnames, with the ones frequent in Zhejiang (俞, 楼, 骆, 金) added. */
export const SURNAMES = [
	'王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何',
	'林', '高', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田',
	'董', '潘', '袁', '蔡', '蒋', '余', '杜', '叶', '程', '魏', '苏', '吕', '丁', '沈', '俞', '楼', '骆',
	'金', '钱', '汪', '方', '应', '毛'
];

export const GIVEN_NAMES = [
	'建国', '建华', '国平', '秀英', '桂英', '玉兰', '丽华', '志强', '海燕', '春燕', '伟', '芳', '敏', '静',
	'强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂兰',
	'文华', '金水', '根土', '阿福', '美芳', '雪梅', '晓东', '晓燕', '立新', '卫东', '红英', '小平',
	'建军', '志华', '丽娟', '国庆', '永康', '佳怡', '子涵', '浩然', '宇轩', '梓萱', '欣怡', '俊杰'
];

export const PHONE_PREFIXES = ['138', '139', '137', '135', '136', '150', '151', '158', '159', '187', '188', '133', '153', '180', '189'];

/** Residential estates of the urban community, one per grid. */
export const ESTATES = ['枫林苑', '桥东小区', '老街'];
