declare const forbidden: any;
export default forbidden;
